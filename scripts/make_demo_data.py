"""Write data/demo/: the fictitious ledger of Atelier Lumen, a small print and design studio.

Seeded, so the committed files are reproducible: ``python scripts/make_demo_data.py``.
Names are invented; phone numbers come from the ranges ARCEP reserves for fiction
(01 99 00 xx xx, 06 39 98 xx xx).
"""

from __future__ import annotations

import csv
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "demo"
RNG = random.Random(20261126)

DEBTORS = [
    # name, kind, contact, role, authority, email?, city
    ("Groupe Hexagone Distribution", "grand compte", "Sophie Marchand", "Acheteuse", "non", True, "Lyon"),
    ("Transports Vidal Frères", "grand compte", "Thierry Vidal", "Directeur financier", "oui", True, "Marseille"),
    (
        "Banque Coopérative du Littoral",
        "grand compte",
        "Hélène Roussel",
        "Service comptabilité fournisseurs",
        "non",
        True,
        "Nantes",
    ),
    ("Laboratoires Aubrac", "grand compte", "Marc Delorme", "Responsable achats", "inconnu", True, "Clermont-Ferrand"),
    ("Hôtels Riviera Azur", "grand compte", "Nadia Benali", "Contrôleuse de gestion", "oui", False, "Nice"),
    ("Énergies Nouvelles du Rhône", "grand compte", "Paul Garnier", "Acheteur", "non", True, "Valence"),
    (
        "Mairie de Saint-Aubin-sur-Loire",
        "organisme public",
        "Jeanne Fabre",
        "Secrétaire de mairie",
        "non",
        True,
        "Saint-Aubin-sur-Loire",
    ),
    (
        "Conseil départemental du Val-Morin",
        "organisme public",
        "Éric Lemaire",
        "Service communication",
        "non",
        True,
        "Morinville",
    ),
    ("Lycée Jules-Ferrand", "organisme public", "Catherine Noël", "Intendante", "oui", True, "Besançon"),
    (
        "Centre hospitalier de Brécy",
        "organisme public",
        "Olivier Masson",
        "Direction des achats",
        "non",
        False,
        "Brécy",
    ),
    ("Office de tourisme des Trois Vallées", "organisme public", "Lucie Perrin", "Directrice", "oui", True, "Annecy"),
    (
        "Communauté de communes du Pays Vert",
        "organisme public",
        "Alain Chevalier",
        "Comptable",
        "inconnu",
        True,
        "Guéret",
    ),
    ("Boulangeries Maison Caron", "multi-site", "Isabelle Caron", "Gérante", "oui", True, "Lille"),
    ("Optique Lumière & Co", "multi-site", "Julien Faure", "Responsable magasin", "non", True, "Rennes"),
    ("Garages Renaud Services", "multi-site", "Patrick Renaud", "Directeur général", "oui", False, "Tours"),
    ("Pharmacies du Centre", "multi-site", "Amélie Girard", "Comptabilité siège", "oui", True, "Orléans"),
    ("Fitness Évasion", "multi-site", "Kevin Morel", "Manager de club", "non", True, "Bordeaux"),
    ("Crèches Les Petits Pas", "multi-site", "Sandrine Lefèvre", "Directrice administrative", "inconnu", True, "Dijon"),
    ("Menuiserie Bertin", "TPE", "Gérard Bertin", "Gérant", "oui", True, "Angers"),
    ("Boutique Fil d'Argent", "TPE", "Claire Dumont", "Gérante", "oui", False, "Metz"),
    ("Cabinet Duval Architectes", "TPE", "Antoine Duval", "Associé", "oui", True, "Nancy"),
    ("Restaurant Le Petit Zinc", "TPE", "Marcel Blanc", "Patron", "oui", True, "Lyon"),
    ("Fleurs & Saisons", "TPE", "Émilie Robin", "Fleuriste", "oui", False, "Caen"),
    ("Plomberie Henry", "TPE", "Louis Henry", "Artisan", "oui", True, "Limoges"),
    ("Agence Immobilière du Parc", "TPE", "Valérie Simon", "Assistante", "non", True, "Versailles"),
    ("Librairie Les Mots Passants", "TPE", "Hugo Lambert", "Libraire", "oui", True, "Poitiers"),
    ("Domaine Viticole Ferrière", "PME", "François Ferrière", "Propriétaire", "oui", True, "Beaune"),
    ("Brasserie Artisanale du Nord", "PME", "Mathieu Leroy", "Responsable administratif", "inconnu", True, "Arras"),
    ("Imprimerie Gaillard", "PME", "Nathalie Gaillard", "Directrice", "oui", False, "Troyes"),
    ("Studio Pilates Harmonie", "TPE", "Laura Fontaine", "Gérante", "oui", True, "Toulouse"),
    ("Auto-École Conduite Sûre", "TPE", "Sébastien Roux", "Gérant", "oui", True, "Reims"),
    ("Traiteur Saveurs d'Ici", "PME", "Yasmine Haddad", "Co-gérante", "oui", True, "Montpellier"),
    ("Cave à Fromages Monet", "TPE", "Philippe Monet", "Commerçant", "oui", False, "Grenoble"),
    ("Association Sportive de Ruffec", "TPE", "Denis Mercier", "Trésorier", "oui", True, "Ruffec"),
    ("Jean-Luc Bonnet", "particulier", "Jean-Luc Bonnet", "", "oui", True, "Saintes"),
    ("Marie Lacroix", "particulier", "Marie Lacroix", "", "oui", False, "Pau"),
    ("Thomas Guérin", "particulier", "Thomas Guérin", "", "oui", True, "Brest"),
    ("Chantal Arnaud", "particulier", "Chantal Arnaud", "", "oui", True, "Nîmes"),
    ("Karim Belkacem", "particulier", "Karim Belkacem", "", "oui", False, "Mulhouse"),
    ("Nicole Barbier", "particulier", "Nicole Barbier", "", "oui", True, "Vannes"),
]

PRODUCTS = [
    ("Conception graphique du catalogue", 180_000, 650_000),
    ("Impression de 500 brochures", 60_000, 240_000),
    ("Signalétique pour salon professionnel", 150_000, 900_000),
    ("Maintenance du site web (mensuelle)", 25_000, 90_000),
    ("Création de logo et charte graphique", 90_000, 350_000),
    ("Impression de cartes de visite", 5_000, 20_000),
    ("Campagne d'affichage (50 affiches)", 40_000, 160_000),
    ("Photographies produits (une journée)", 65_000, 140_000),
    ("Refonte du site vitrine", 300_000, 1_200_000),
    ("Kakémonos et flyers", 15_000, 70_000),
]

ASOF = date(2026, 11, 26)


def fictional_phone(index: int, mobile: bool) -> str:
    prefix = "06 39 98" if mobile else "01 99 00"
    return f"{prefix} {index // 100 % 100:02d} {index % 100:02d}"


def amount_fr(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    grouped = f"{euros:,}".replace(",", "\u00a0")
    return f"{grouped},{rest:02d}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    seq = 1
    for index, (name, kind, contact, role, authority, has_email, city) in enumerate(DEBTORS):
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        slug = "".join(c for c in ascii_name.lower() if c.isalnum())[:14]
        email = f"compta@{slug}.example" if has_email else ""
        if kind == "particulier":
            email = f"{slug}@mail.example" if has_email else ""
        street = RNG.choice(
            [
                "rue de la République",
                "avenue Jean-Jaurès",
                "place du Marché",
                "rue des Tilleuls",
                "boulevard Gambetta",
                "chemin des Vignes",
            ]
        )
        address = f"{RNG.randint(1, 120)} {street}, {RNG.randint(10, 95)}{RNG.randint(100, 999)} {city}"
        term = {"grand compte": 60, "organisme public": 30, "multi-site": 45}.get(kind, 30)
        count = RNG.choice([3, 3, 4, 4, 5, 5]) if kind != "particulier" else RNG.choice([1, 2])
        scale = {"grand compte": 2.2, "organisme public": 1.4, "multi-site": 1.2, "particulier": 0.3}.get(kind, 0.7)
        for n in range(count):
            product, low, high = RNG.choice(PRODUCTS)
            cents = int(RNG.randint(low, high) * scale) // 100 * 100 + RNG.choice([0, 0, 50, 90])
            issued = ASOF - timedelta(days=RNG.randint(10, 220))
            due = issued + timedelta(days=term)
            number = f"F2026-{seq:04d}"
            seq += 1
            paid, status = 0, "ouverte"
            roll = RNG.random()
            if roll < 0.22:
                paid, status = cents, "réglée"
            elif roll < 0.34:
                paid = cents // RNG.choice([2, 3, 4]) // 100 * 100
                status = "partiellement réglée"
            po = f"BC-{RNG.randint(10000, 99999)}" if kind in ("grand compte", "organisme public") else ""
            if kind == "grand compte" and n == 0 and index == 3:
                po = ""  # a large account invoice without its purchase order number
            if kind == "organisme public" and index == 6:
                po = ""  # a public body whose mandate will be rejected without one
            rows.append(
                {
                    "N° facture": number,
                    "Client": name,
                    "Type client": kind,
                    "Date": issued.strftime("%d/%m/%Y"),
                    "Échéance": due.strftime("%d/%m/%Y"),
                    "Délai de paiement": f"{term} jours",
                    "Montant TTC": amount_fr(cents),
                    "Réglé": amount_fr(paid) if paid else "",
                    "Statut": status,
                    "Bon de commande": po,
                    "Prestation": product,
                    "Contact": contact,
                    "Fonction": role,
                    "Décideur": authority if authority != "inconnu" else "",
                    "Téléphone": fictional_phone(index * 7 + 11, mobile=kind in ("particulier", "TPE")),
                    "E-mail": email,
                    "Adresse": address,
                }
            )
    # One disputed invoice: the client says the brochures arrived damaged.
    disputed = next(r for r in rows if r["Client"] == "Boulangeries Maison Caron")
    disputed["Statut"] = "litige"
    with (OUT / "invoices.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} invoices for {len(DEBTORS)} debtors written to {OUT / 'invoices.csv'}")


if __name__ == "__main__":
    main()
