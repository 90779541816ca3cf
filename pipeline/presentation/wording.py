"""The words the dashboard and the reports share: theme names and the rules the numbers follow."""

from __future__ import annotations

from pipeline.kernel.rules import SIGNIFICANCE_LEVEL, STRONG_CHANGE_PCT
from pipeline.reference import reference

#: the themes of the indicator catalogue, in the order pages and reports show them
THEMES = {
    "misdrijven": "Misdrijven",
    "overlast": "Overlast en incidenten",
    "jeugd": "Jeugd (Halt)",
    "persoonsgerichte aanpak": "Persoonsgerichte aanpak (Veiligheidshuis)",
    "ondermijning": "Ondermijning (RIEC)",
    "burgernet": "Burgernet",
    "veiligheidsbeleving": "Veiligheidsbeleving (Veiligheidsmonitor)",
    "cybercrime": "Cybercrime",
}
#: what every output of a demo edition says, wherever its figures are shown
DEMO_MARK = "DEMO — fictieve cijfers"
#: the themes' names where there is little room (an Excel sheet name has at most 31 characters)
SHEET_NAMES = {"persoonsgerichte aanpak": "Veiligheidshuis", "veiligheidsbeleving": "Veiligheidsmonitor"}
assert all(len(SHEET_NAMES.get(k, v)) <= 31 for k, v in THEMES.items())
#: the one marker of a hidden figure, in every output: it states no range, and does not say whether
#: the figure is small itself or hidden because a small one could be worked out from it
SUPPRESSED_MARKER = "afgeschermd"
SUPPRESSED_EXPLANATION = "afgeschermd: een klein aantal, of een cijfer waaruit een klein aantal is af te leiden"
#: the rules the numbers follow, stated in the Toelichting of the dashboard and of every report
RULES = [
    (
        "Vergelijkingen",
        "Elk cijfer wordt vergeleken met dezelfde periode een jaar eerder (verschil en %), met het gemiddelde "
        "van dezelfde periode in de drie jaren ervoor, en per 1.000 inwoners (Halt: per 1.000 jongeren van 12–17) met het "
        "district en de eenheid.",
    ),
    (
        "Doet de verandering ertoe?",
        "Voor aantallen gebruiken we de exacte conditionele toets voor twee Poisson-aantallen, met het aantal "
        f"inwoners als blootstelling (tweezijdig). Is de uitkomst niet significant (p ≥ {str(SIGNIFICANCE_LEVEL).replace('.', ',')}), dan staat er 'geen "
        "significante verandering' (kort: 'niet significant'), hoe groot het percentage ook is: van 7 naar 12 is "
        "+71 %, maar bij zulke kleine aantallen kan dat toeval zijn. Is de uitkomst wel significant, dan staat er "
        f"'stijging' of 'daling', en 'sterke stijging' of 'sterke daling' vanaf {STRONG_CHANGE_PCT} % verschil. Percentages (zoals de "
        "Burgernetdekking) veranderen in procentpunten en krijgen geen oordeel: daar is geen toets voor. "
        "Enquêtecijfers verschillen significant als het verschil groter is dan de gecombineerde marge.",
    ),
    (
        "Kleine aantallen",
        "Aantallen van 1 tot en met 4 van gevoelige onderwerpen (Halt, RIEC, Veiligheidshuis, zeden, moord "
        "en doodslag, mensenhandel) worden niet getoond, op geen enkel niveau: u ziet 'afgeschermd'. Zou zo'n aantal "
        "af te leiden zijn uit andere cijfers (een totaal min zijn delen, het jaar min een halfjaar, het district of de "
        "eenheid min de gemeenten), dan worden ook zoveel andere cijfers afgeschermd dat dat niet meer kan; ook die staan er "
        "als 'afgeschermd'. 'Afgeschermd' zegt dus niet dat het cijfer klein is. Dit gebeurt in de gegevens zelf: geen "
        "pagina, download of rapport kan het tonen.",
    ),
    (
        "Lege cellen",
        "Een vergelijking die er niet is, zegt waarom: 'afgeschermd' (het cijfer of dat van een jaar eerder is "
        "afgeschermd; in het dashboard staat dan een streepje met uitleg), 'geen noemer' (voor dit cijfer is er geen "
        "aantal inwoners of jongeren om per 1.000 te rekenen), 'nog geen drie jaar' (er zijn nog geen drie eerdere jaren "
        "om te middelen), 'geen cijfer' of 'niet aangeleverd' (de bron leverde het niet), 'verdeeld over districten' "
        "(de gemeente ligt in meer dan één district) en 'geen toets' (voor dit soort cijfer, zoals een percentage, "
        "is er geen toets op toeval). In de CSV staan de redenen in de kolom 'Lege cellen'.",
    ),
    (
        "Streefwaarden",
        "Waar het veld zelf een doel stelt, staat dat als streefwaarde naast het cijfer (uit de indicatorcatalogus): "
        + "; ".join(
            f"{i.label}: {i.streefwaarde:g}{' %' if i.eenheid == 'percentage' else ''} ({i.streefwaarde_bron})"
            for i in reference().indicators
            if i.streefwaarde is not None
        )
        + ".",
    ),
    (
        "Voorlopige cijfers",
        "Politiecijfers van de laatste drie maanden zijn voorlopig en kunnen in een volgende editie "
        "worden herzien; de Toelichting van het dashboard toont wat sinds de vorige editie is herzien.",
    ),
    (
        "Herindelingen",
        "Alle perioden staan in de huidige gemeentelijke indeling: een gemeente vóór een herindeling is de "
        "som van haar voorgangers. Werd een gemeente gesplitst, dan krijgt elke opvolger het deel van haar cijfer dat "
        "past bij het deel van de inwoners dat naar die opvolger ging (afgerond zodat de delen samen precies het oude "
        "cijfer zijn). Een tabel die al in een indeling staat (zoals 'gemeente 2026' in de titel) wordt niet nog eens "
        "omgerekend.",
    ),
    (
        "Geen cijfer",
        "'Geen cijfer (niet aangeleverd)': de bron leverde deze gemeente voor (een deel van) de periode niet aan. "
        "Dat is geen 0: er is dan ook geen verandering, rang of totaal van district en eenheid dat het cijfer nodig "
        "heeft. 'Geen cijfer (… niet per wijk aangeleverd)': ligt een gemeente in meer dan één district, dan zijn "
        "die districten alleen te berekenen als de bron die gemeente per wijk of buurt levert; zonder die detail "
        "staat er bij die districten geen cijfer, bij de andere districten, de gemeenten en de eenheid wel.",
    ),
    (
        "Totaal van de eenheid",
        "Levert de politie haar eigen totaal van de eenheid (of van Nederland), dan is het cijfer van de eenheid dat "
        "totaal (bij indicatoren van één politiecode). Het bevat misdrijven "
        "die niet aan een gemeente zijn toe te delen, dus de gemeenten samen kunnen iets minder zijn dan de eenheid. "
        "In de open data (de CSV met alle cijfers) staat dat deel apart als 'niet aan een gemeente toe te delen'; "
        "bij gevoelige onderwerpen is het afgeschermd als het een klein aantal is.",
    ),
]
