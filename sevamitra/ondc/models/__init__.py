"""ONDC models: the message log (log.py, owned by the transport) and the transactions that tie
a buyer app's flow to our holds and bookings (transactions.py)."""

from sevamitra.ondc.models.log import Direction, OndcMessage
from sevamitra.ondc.models.transactions import OndcTransaction, TransactionState

__all__ = ["Direction", "OndcMessage", "OndcTransaction", "TransactionState"]
