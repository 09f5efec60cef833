"""French and English column names of invoice exports, mapped to callcoach's fields."""

from __future__ import annotations

from callcoach.domain.text import name_key

FIELDS: dict[str, tuple[str, ...]] = {
    "number": (
        "invoice number",
        "invoice no",
        "invoice num",
        "invoice",
        "invoice id",
        "number",
        "n facture",
        "no facture",
        "num facture",
        "numero facture",
        "numero de facture",
        "n de facture",
        "facture",
        "numero",
        "ref facture",
        "reference facture",
        "piece",
    ),
    "customer": (
        "customer",
        "customer name",
        "client",
        "nom client",
        "nom du client",
        "raison sociale",
        "debtor",
        "debiteur",
        "societe",
        "company",
        "account name",
        "tiers",
    ),
    "amount": (
        "amount",
        "total",
        "amount incl tax",
        "amount incl vat",
        "total incl tax",
        "gross amount",
        "invoice amount",
        "montant",
        "montant ttc",
        "total ttc",
        "ttc",
        "montant facture",
    ),
    "issue_date": (
        "issue date",
        "date",
        "invoice date",
        "date facture",
        "date de facture",
        "date d emission",
        "date emission",
        "date de facturation",
    ),
    "due_date": (
        "due date",
        "due",
        "due on",
        "echeance",
        "date echeance",
        "date d echeance",
        "date limite de paiement",
        "date limite",
    ),
    "paid": (
        "paid",
        "amount paid",
        "paid amount",
        "regle",
        "montant regle",
        "deja regle",
        "paye",
        "montant paye",
        "encaisse",
        "reglement",
        "reglements",
    ),
    "remaining": (
        "remaining",
        "balance",
        "outstanding",
        "amount due",
        "balance due",
        "reste a payer",
        "restant du",
        "reste du",
        "solde",
        "solde du",
    ),
    "status": ("status", "statut", "etat", "state"),
    "currency": ("currency", "devise", "monnaie"),
    "contact": ("contact", "contact name", "nom contact", "nom du contact", "interlocuteur"),
    "phone": ("phone", "telephone", "tel", "phone number", "mobile", "portable"),
    "email": ("email", "e mail", "mail", "courriel", "adresse email", "adresse e mail"),
    "po_number": (
        "po",
        "po number",
        "purchase order",
        "purchase order number",
        "order number",
        "bon de commande",
        "n bon de commande",
        "no bon de commande",
        "bc",
        "n commande",
        "numero de commande",
        "commande",
    ),
    "product": (
        "product",
        "service",
        "description",
        "designation",
        "objet",
        "prestation",
        "libelle",
        "product or service",
    ),
    "payment_term_days": (
        "payment term",
        "payment terms",
        "terms",
        "term",
        "term days",
        "delai de paiement",
        "delai",
        "conditions de paiement",
        "conditions",
    ),
    "address": ("address", "adresse", "adresse postale", "postal address"),
    "kind": (
        "kind",
        "organisation",
        "organization",
        "organisation kind",
        "customer type",
        "type client",
        "type de client",
        "type",
    ),
    "language": ("language", "langue"),
    "contact_role": ("contact role", "role", "fonction", "poste"),
    "can_release_payment": (
        "can release payment",
        "decision maker",
        "can pay",
        "decideur",
        "peut payer",
        "valide le paiement",
        "ordonnateur",
    ),
    "copy_path": ("copy", "invoice copy", "pdf", "file", "fichier", "copie", "copie facture"),
    "identifier": ("siren", "siret", "vat", "vat number", "tva", "n tva", "identifier"),
}

REQUIRED = ("number", "customer", "amount")

LABELS = {
    "number": "invoice number",
    "customer": "customer",
    "amount": "amount",
    "issue_date": "issue date",
    "due_date": "due date",
}

_ALIASES: dict[str, str] = {name_key(alias): field for field, aliases in FIELDS.items() for alias in aliases}


def field_for(header: str) -> str | None:
    """The callcoach field a column header names, if any."""
    key = name_key(header)
    if key in _ALIASES:
        return _ALIASES[key]
    # "Montant TTC (EUR)", "Due date (dd/mm/yyyy)": try without the bracketed part.
    bare = name_key(header.split("(")[0])
    return _ALIASES.get(bare)
