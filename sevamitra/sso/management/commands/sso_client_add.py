"""Register a sibling portal as an OpenID Connect client (docs/sso.md).

    manage.py sso_client_add --name "Sewayojan" --name-hi "सेवायोजन" \
        --redirect-uri https://sewayojan.up.gov.in/oidc/callback \
        --scopes "openid profile phone district roles" [--public] [--client-id ID] [--if-missing]

Prints the client ID and, for a confidential client, the client secret: shown this once, stored
only hashed. --if-missing does nothing if a client with that client ID (or, without
--client-id, that English name) exists, so scripts can run it on every start. Audited
(sso.client_registered, by the system).
"""

from django.core.management.base import BaseCommand, CommandError
from oauth2_provider.models import Application

from sevamitra.core.errors import DomainError
from sevamitra.sso import services
from sevamitra.sso.models import ClientPolicy


class Command(BaseCommand):
    help = "Register a sibling portal as an OpenID Connect client; prints its ID and secret once."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The portal's name in English.")
        parser.add_argument("--name-hi", required=True, help="The portal's name in Hindi.")
        parser.add_argument(
            "--redirect-uri",
            action="append",
            required=True,
            dest="redirect_uris",
            help="A redirect URI (https; http only for 127.0.0.1/localhost where allowed). "
            "Repeat for several.",
        )
        parser.add_argument(
            "--scopes",
            default="openid profile phone district roles",
            help='The scopes it may ask for, e.g. "openid profile phone" (openid is required).',
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="A public client (no secret; PKCE is required of every client anyway).",
        )
        parser.add_argument("--client-id", default="", help="Use this client ID (else generated).")
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing if the client (by client ID, else by English name) exists.",
        )

    def handle(self, *args, **options):
        client_id = options["client_id"].strip()
        if options["if_missing"]:
            existing = (
                Application.objects.filter(client_id=client_id).first()
                if client_id
                else Application.objects.filter(
                    pk__in=ClientPolicy.objects.filter(name_en=options["name"].strip()).values(
                        "application_id"
                    )
                ).first()
            )
            if existing is not None:
                self.stdout.write(f"Already registered: {existing.name}")
                self.stdout.write(f"client_id: {existing.client_id}")
                return
        try:
            application, secret = services.client_register(
                name_en=options["name"],
                name_hi=options["name_hi"],
                redirect_uris=options["redirect_uris"],
                scopes=options["scopes"].split(),
                public=options["public"],
                client_id=client_id,
                acting_user=None,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Registered: {application.name}")
        self.stdout.write(f"client_id: {application.client_id}")
        if secret:
            self.stdout.write(f"client_secret: {secret}")
            self.stdout.write("The secret is shown this once and stored only hashed: keep it now.")
        else:
            self.stdout.write("Public client: no secret (PKCE with S256 is required).")
