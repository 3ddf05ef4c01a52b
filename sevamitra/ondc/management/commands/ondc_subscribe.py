"""`manage.py ondc_subscribe`: build and sign the registry's /subscribe request for this node,
a seller app of ONDC:SRV11 (ops_no 2), print it, and with `--send` POST it.

    manage.py ondc_subscribe --legal-entity-name "..." --business-address "..." \\
        --gst-no ... --pan-no ... --date-of-incorporation 01/04/2020 \\
        --signatory-name "..." --signatory-address "..." --email ... --mobile ... [--send]

(or `--entity-file entity.json` with the same keys as the registry's `entity` object).
Every request built is logged (ONDC message log, action "subscribe"): from then on
/ondc-site-verification.html signs its request_id, so build it on the server that answers for
the subscriber id, and send it (or paste it) while that page is up. The registry then calls
`<ONDC_SUBSCRIBER_URL>/on_subscribe`. Registry URLs: pre-production
https://preprod.registry.ondc.org/ondc/subscribe, production https://prod.registry.ondc.org/subscribe
(default: ONDC_REGISTRY_URL + /subscribe; use --url).
"""

import json
from pathlib import Path

import httpx
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sevamitra.ondc import client, crypto, onboarding
from sevamitra.ondc.config import ondc_config
from sevamitra.ondc.models import OndcMessage

# option name -> (entity path, what it is)
ENTITY_OPTIONS = {
    "legal_entity_name": (("gst", "legal_entity_name"), "legal name as on the GST registration"),
    "business_address": (("gst", "business_address"), "business address"),
    "gst_no": (("gst", "gst_no"), "GSTIN"),
    "pan_no": (("pan", "pan_no"), "PAN"),
    "name_as_per_pan": (("pan", "name_as_per_pan"), "name as on the PAN (default: legal name)"),
    "date_of_incorporation": (("pan", "date_of_incorporation"), "DD/MM/YYYY"),
    "signatory_name": (("name_of_authorised_signatory",), "authorised signatory's name"),
    "signatory_address": (("address_of_authorised_signatory",), "authorised signatory's address"),
    "email": (("email_id",), "contact e-mail"),
    "mobile": (("mobile_no",), "contact mobile number"),
}
TIMEOUT_SECONDS = 30.0


class Command(BaseCommand):
    help = "Build, sign and print (or --send) the ONDC registry /subscribe request."

    def add_arguments(self, parser) -> None:
        for name, (_path, what) in ENTITY_OPTIONS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=what)
        parser.add_argument("--entity-file", type=Path, help="JSON file with the entity object.")
        parser.add_argument(
            "--ops-no",
            type=int,
            choices=[onboarding.OPS_NON_MSN_SELLER, onboarding.OPS_MSN_SELLER],
            default=onboarding.OPS_NON_MSN_SELLER,
            help="2: seller app (default); 3: marketplace seller node (MSN).",
        )
        parser.add_argument("--valid-days", type=int, default=365, help="Key validity in days.")
        parser.add_argument("--request-id", help="Reuse this request_id (default: a new uuid).")
        parser.add_argument("--url", help="The registry's /subscribe URL.")
        parser.add_argument("--send", action="store_true", help="POST it to the registry.")

    def handle(self, *args, **options) -> None:
        try:
            config = ondc_config()
        except ImproperlyConfigured as problem:
            raise CommandError(str(problem)) from None
        if config is None:
            raise CommandError("ONDC is not configured: run ondc_keys and set ONDC_* first.")
        entity = self._entity(options)
        try:
            payload = onboarding.subscribe_payload(
                config=config,
                entity=entity,
                request_id=options["request_id"],
                ops_no=options["ops_no"],
                valid_days=options["valid_days"],
            )
        except ImproperlyConfigured as problem:
            raise CommandError(str(problem)) from None
        body = onboarding.encode(payload)
        url = options["url"] or f"{config.registry_url}/subscribe"
        authorization = crypto.sign_body(body)
        row = onboarding.subscribe_record(payload=payload, body=body, url=url)
        self.stdout.write(f"# POST {url}")
        self.stdout.write("# Content-Type: application/json")
        self.stdout.write(f"# Authorization: {authorization}")
        self.stdout.write(body.decode("utf-8"))
        self.stdout.write(
            f"# request_id {payload['message']['request_id']}: "
            "/ondc-site-verification.html now signs it."
        )
        if options["send"]:
            self._send(row, url, body, authorization)

    def _entity(self, options) -> dict:
        entity: dict = {}
        if options["entity_file"]:
            try:
                entity = json.loads(options["entity_file"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as problem:
                raise CommandError(f"--entity-file: {problem}") from None
            if not isinstance(entity, dict):
                raise CommandError("--entity-file must hold a JSON object.")
        if not options.get("name_as_per_pan"):
            options["name_as_per_pan"] = options.get("legal_entity_name")
        missing = []
        for name, (path, _what) in ENTITY_OPTIONS.items():
            value = options.get(name)
            target = entity
            for key in path[:-1]:
                target = target.setdefault(key, {})
            if value:
                target[path[-1]] = value
            elif not target.get(path[-1]):
                missing.append("--" + name.replace("_", "-"))
        if missing:
            raise CommandError(f"Missing entity details: {', '.join(missing)}.")
        return entity

    def _send(self, row: OndcMessage, url: str, body: bytes, authorization: str) -> None:
        started = timezone.now()
        try:
            response, headers = client.signed_post(
                url, body, timeout=TIMEOUT_SECONDS, authorization=authorization
            )
        except httpx.HTTPError as failure:
            raise CommandError(f"The registry did not answer: {failure!r}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = {"text": response.text[:2000]}
        ack = ""
        if isinstance(answer, dict):
            ack = str((answer.get("message") or {}).get("ack", {}).get("status", ""))[:4]
        OndcMessage.objects.filter(pk=row.pk).update(
            headers=headers,
            http_status=response.status_code,
            response=answer,
            ack=ack,
            attempts=1,
            done_at=timezone.now(),
            duration_ms=int((timezone.now() - started).total_seconds() * 1000),
        )
        self.stdout.write(f"# Registry answered HTTP {response.status_code}:")
        self.stdout.write(json.dumps(answer, ensure_ascii=False))
        if ack != "ACK":
            raise CommandError("The registry did not ACK the subscription (see its answer).")
