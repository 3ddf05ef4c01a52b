"""`manage.py ondc_keys`: a new key set for the seller node, printed as environment lines.

    ONDC_SIGNING_PRIVATE_KEY=...      Ed25519, base64 of the 64-byte secret key
    ONDC_ENCRYPTION_PRIVATE_KEY=...   X25519, base64 PKCS8 DER
    ONDC_UNIQUE_KEY_ID=...            a new uuid naming this key pair in the registry

followed (as comments) by the public keys to register: the signing public key (base64 of the
raw 32 bytes) and the encryption public key (base64 X25519 SPKI DER). Nothing is stored: put
the three lines in the environment of the web and worker processes, keep them secret.
"""

from django.core.management.base import BaseCommand

from sevamitra.ondc.crypto import generate_keys


class Command(BaseCommand):
    help = "Print a new ONDC key set (signing + encryption) as environment variables."

    def handle(self, *args, **options) -> None:
        keys = generate_keys()
        self.stdout.write(f"ONDC_SIGNING_PRIVATE_KEY={keys.signing_private_key}")
        self.stdout.write(f"ONDC_ENCRYPTION_PRIVATE_KEY={keys.encryption_private_key}")
        self.stdout.write(f"ONDC_UNIQUE_KEY_ID={keys.unique_key_id}")
        self.stdout.write("# Public keys to register with the ONDC registry (ondc_subscribe does):")
        self.stdout.write(f"# signing_public_key={keys.signing_public_key}")
        self.stdout.write(f"# encryption_public_key={keys.encryption_public_key}")
