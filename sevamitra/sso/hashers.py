"""How client secrets of the sibling portals are stored.

django-oauth-toolkit stores a client secret hashed with a Django password hasher. The default
(PBKDF2, a million iterations) is made for passwords people choose; it costs about half a
second of CPU on every request to the token endpoint, i.e. on every sign-in at a sibling
portal. Our client secrets are not chosen by people: `sso_client_add` and the admin take them
from django-oauth-toolkit's generator (128 random characters, far beyond any guessing), so a
few thousand iterations keep a stolen table useless while the token endpoint stays cheap.
A secret typed by hand in the admin must be at least 40 characters (sevamitra/sso/admin.py).
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ClientSecretHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_client"
    iterations = 5_000
