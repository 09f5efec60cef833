"""French and English column names of invoice exports, mapped to callcoach's fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from callcoach.domain.text import name_key

FIELDS: dict[str, tuple[str, ...]] = {
    "number": (
        "invoice number",
        "invoice no",
        "invoice num",
        "invoice",
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
    "status": ("status", "statut"),
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

# Fields that only shape a layout (never a column of the ledger): --map cannot name them.
LAYOUT_FIELDS = ("line_amount", "quantity", "account", "debit", "credit")

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_BRACKET = re.compile(r"\(([^)]*)\)")

# Headers that are not spelled like an alias but say what they hold: a pattern over the
# normalised words, and how specific a fit it is (an exact alias scores 100). When two
# columns fit one field the higher score wins: an invoice *number* over an internal *ID*,
# a *customer* over an *account*, a *status* over a *state*.
_NOT = r"^(?!.*\b(?:%s)\b)"
RULES: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (name, re.compile(pattern), score)
    for name, pattern, score in (
        ("number", r"^(?:invoice|inv|facture|fact)s? (?:number|no|num|nr|n|ref|reference)$", 95),
        ("number", r"^(?:numero|num|no|n|ref|reference) (?:de )?(?:la )?(?:facture|invoice)$", 95),
        ("number", _NOT % "date|status|amount|total|id" + r".*\b(?:invoice|facture) (?:number|no|num|nr)\b", 80),
        ("number", r"^(?:invoice|facture) id$", 40),
        ("number", r"^(?:document|doc|piece|voucher)(?: (?:number|no|num|ref))?$", 60),
        ("number", r"^(?:n|no|num|numero|ref|reference)(?: de)? (?:piece|document|doc)$", 80),
        ("number", r"^(?:ref|reference|n|no|num|numero)$", 55),
        ("customer", r"^(?:customer|client|debtor|debiteur|buyer|acheteur)s?(?: (?:name|nom))?$", 100),
        ("customer", r"^(?:nom|name|raison sociale)(?: du| de l| de)? (?:client|customer|debiteur)$", 100),
        ("customer", r"^(?:company|societe|entreprise|organisation|organization)(?: (?:name|nom))?$", 70),
        ("customer", r"^(?:account|compte)(?: (?:name|lib|libelle|label))?$", 40),
        ("account", r"^(?:account|compte)(?: (?:name|lib|libelle|label))?$", 90),
        ("amount", r"^(?:invoice|facture) (?:total|amount|montant)$", 100),
        ("amount", r"^(?:total|amount|montant)(?: (?:ttc|gross|brut|due|incl (?:tax|vat|taxes)))?$", 95),
        (
            "amount",
            _NOT % "tax|taxes|tva|vat|net|ht|sub|discount|rate|line|item|before|exchange|fee|write|off|paid|"
            "regle|balance|shipping|adjustment|unit|price" + r".*\b(?:total|amount|montant|ttc)\b",
            50,
        ),
        ("line_amount", r"^(?:line|item|ligne|article)s? (?:total|amount|montant|ttc)$", 90),
        ("quantity", r"^(?:quantity|qty|quantite|qte)$", 90),
        ("debit", r"^(?:debit)(?: amount| montant)?\b", 90),
        ("credit", r"^(?:credit)(?: amount| montant)?\b", 90),
        (
            "paid",
            _NOT % "date|on|at|le|method|mode|terms"
            + r".*\b(?:paid|regle|reglements?|paye|encaisse|payment amount|payments received)\b",
            60,
        ),
        (
            "remaining",
            _NOT % "date|days|jours|account|compte" + r".*\b(?:balance|outstanding|remaining|open|solde|restant|"
            r"reste|amount due|balance due)\b",
            60,
        ),
        (
            "issue_date",
            r"^(?:invoice|facture|issue|document|doc)s? date$|^date (?:issued|d emission|de facture|facture)$"
            r"|^(?:invoiced|issued|created)(?: at| on| date)?$",
            90,
        ),
        ("issue_date", r"^(?:transaction|posting|entry|ecriture|piece)s? date$|^date (?:de )?(?:piece|ecriture)$", 60),
        ("due_date", r"^(?:due|payment due|echeance)(?: date| at| on| by)?$|^date (?:d |de l )?echeance$", 95),
        ("due_date", _NOT % "amount|balance|days|jours|past|total|montant" + r".*\b(?:due|echeance)\b", 50),
        ("status", _NOT % "billing|shipping|address|adresse|payment|paiement" + r".*\b(?:status|statut)\b", 90),
        ("status", _NOT % "billing|shipping|address|adresse" + r".*\b(?:state|etat)\b", 30),
        ("currency", _NOT % "rate|exchange|taux" + r".*\b(?:currency|devise|monnaie)\b", 90),
        ("email", _NOT % "cc|bcc" + r".*\b(?:e mail|email|courriel|mail)\b", 80),
        (
            "phone",
            _NOT % "fax" + r"^(?:(?:customer|client|contact|billing) )?(?:phone|telephone|tel|mobile|portable)"
            r"(?: (?:number|no|num))?$",
            80,
        ),
        (
            "address",
            r"^(?:(?:customer|client|billing|postal|invoice) )?(?:address|adresse)(?: (?:postale|line 1|1))?$",
            80,
        ),
        ("po_number", r"\b(?:purchase ?order|po|order|bon de commande|commande)(?: (?:number|no|num|ref))?$", 80),
        ("identifier", r"\b(?:tax|vat|tva) (?:number|no|num|id|intracom\w*)$|\b(?:siren|siret)\b", 80),
        ("payment_term_days", _NOT % "label|text|libelle" + r".*\bpayment terms?\b", 80),
        ("product", r"^(?:item|product|article|service)s?(?: (?:name|nom|description|desc))?$", 60),
    )
)


def words(header: str) -> str:
    """A header's normalised words: camelCase and snake_case split, accents, case and
    punctuation folded (``DueDate``, ``due_date``, ``Due Date``, ``Échéance`` compare equal
    to their aliases)."""
    return name_key(_CAMEL.sub(" ", header).replace("_", " "))


def candidates(header: str) -> list[tuple[str, int]]:
    """Every field a header could name, with how well it fits, best first."""
    key = words(header)
    bare = words(_BRACKET.sub(" ", header))
    found: dict[str, int] = {}
    for text, bonus in ((key, 0), (bare, -5)):
        if text in _ALIASES:
            found.setdefault(_ALIASES[text], 100 + bonus)
    for name, pattern, score in RULES:
        for text, bonus in ((key, 0), (bare, -5)):
            if pattern.search(text) and found.get(name, -1) < score + bonus:
                found[name] = score + bonus
    return sorted(found.items(), key=lambda item: -item[1])


def bracket_currency(header: str) -> str | None:
    """``Amount (USD)``, ``Open Advance (ILS)``: the currency a header names."""
    for inside in _BRACKET.findall(header):
        code = inside.strip()
        if len(code) == 3 and code.isascii() and code.isalpha() and code.isupper():
            return code
    return None


@dataclass
class Matching:
    """Which column holds which field, and the other columns that fitted too (for the report)."""

    columns: dict[str, int] = field(default_factory=dict)
    others: dict[str, list[int]] = field(default_factory=dict)
    mapped: set[str] = field(default_factory=set)  # the fields --map named


def match_columns(header: list[str], mapping: dict[str, str]) -> Matching:
    """Each field to the column that fits it best, each column to one field; --map first."""
    matching = Matching()
    taken: set[int] = set()
    for index, name in enumerate(header):
        target = mapping.get(name_key(name))
        if target and target not in matching.columns:
            matching.columns[target] = index
            matching.mapped.add(target)
            taken.add(index)
    offers = [
        (-score, index, target)
        for index, name in enumerate(header)
        if index not in taken and name.strip()
        for target, score in candidates(name)
    ]
    for _, index, target in sorted(offers):
        if target in matching.columns:
            if index not in taken and index != matching.columns[target]:
                matching.others.setdefault(target, []).append(index)
            continue
        if index in taken:
            continue
        matching.columns[target] = index
        taken.add(index)
    return matching


def field_for(header: str) -> str | None:
    """The callcoach field a column header names, if any."""
    found = candidates(header)
    return found[0][0] if found else None


_ALIASES: dict[str, str] = {words(alias): name for name, aliases in FIELDS.items() for alias in aliases}
