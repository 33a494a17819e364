"""The crisis guard: finds suicidal thoughts and acute danger before any model sees the text.

A parent in crisis must get the fixed crisis answer whatever the NLU model thinks, so this
guard is deliberately rule-based, deterministic and biased towards flagging. It only returns
None when the wording is clearly something else: a figure of speech ("jeg dør av latter"),
a legal or informational question ("hva er et akuttvedtak?"), a past that is over ("for to
år siden"), someone else's situation, or everyday frustration ("orker ikke flere møter").

How it works:
1. `normalise` folds the many ways parents type the same words (æøå or ae/o/a, dialect,
   SMS stretching like "meeeer", punctuation) into one form, so each rule is written once.
2. Positive rules (regexes over the normalised text) say what a crisis sounds like. Rules for
   the user's own suicidality come first; acute danger to someone comes second.
3. Each rule may be vetoed: by what directly follows the match ("orker ikke mer av dette
   møtet"), by who the grammatical subject is ("sønnen min slår meg når han blir sint" is a
   child's reaction, not violence against the parent), or by framing anywhere in the message
   (past that is over, legal or informational questions, allegations). A past that is over
   stops counting when the message says it is back ("og nå er tankene der igjen"), but not
   when the present it names is the recovery ("men nå har jeg det bra").
4. Acute-danger rules also ignore a match inside a yes/no question about rights
   ("Kan eksen ta barna ut av landet uten samtykke?", "Har fosterfar lov til å slå
   henne?"), unless the message also asks for help or says it is happening now. Whether a
   clause ended with "?" is read from the raw text, since normalising turns every clause end
   into the same " . " token. The user's own suicidality has no such exception.

All patterns work on the normalised text: lower case, æ→ae, ø→o, å→a, "aa"→"a", letters
repeated three or more times collapsed to one, apostrophes dropped, sentence punctuation
turned into a " . " token, and everything else that is not a letter or digit into a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

SELVMORD: Final = "krise.selvmord"
AKUTT_FARE: Final = "krise.akutt_fare"


@dataclass(frozen=True)
class CrisisMatch:
    topic: str  # "krise.selvmord" | "krise.akutt_fare"
    reason: str  # id of the rule that fired


# --------------------------------------------------------------------------- normalising

_FOLD: Final = str.maketrans(
    {
        "æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "ü": "u",
        "😂": " haha ", "🤣": " haha ", "😆": " haha ", "😅": " haha ",
        "é": "e", "è": "e", "ê": "e", "ó": "o", "ò": "o", "ô": "o", "à": "a", "á": "a",
    }
)  # fmt: skip
_APOSTROPHES: Final = re.compile(r"['’‘`´]")
_CLAUSE_END: Final = re.compile(r"[.!?;:\n\r…]+")
_NOT_WORD: Final = re.compile(r"[^a-z0-9.]+")
_REPEATS: Final = re.compile(r"([a-z])\1{2,}")
_SPACES: Final = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The folded form every rule is written against (see the module docstring)."""
    folded = _APOSTROPHES.sub("", text.lower().translate(_FOLD))
    folded = _CLAUSE_END.sub(" . ", folded)
    folded = _NOT_WORD.sub(" ", folded)
    # "meeeer", "ikkkke", "dooo": stretching for emphasis, not a different word.
    folded = _REPEATS.sub(r"\1", folded)
    # Keyboards without å write "aa" ("paa", "vaakne"); after folding å→a both meet.
    folded = folded.replace("aa", "a")
    return _SPACES.sub(" ", folded).strip()


# --------------------------------------------------------------------------- vocabulary


def _any(words: str | Iterable[str]) -> str:
    """A non-capturing alternation, longest first so that "ikkje" wins over "ikk"."""
    items = words.split("|") if isinstance(words, str) else list(words)
    items = sorted({w.strip() for w in items if w.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(items) + ")"


def _words(text: str) -> list[str]:
    return text.split()


# Word lists are written folded (æ→ae, ø→o, å→a), like the text they are matched against.
_CHILD_WORDS: Final = _words(
    """barnet barna barn ungen ungene ungane ungan unga unge ongen ongan gutten guten gutt
    jenta jenten jentene jento dattera datteren dotra dottera dottra datter dotter sonen
    sonnen sonn son babyen baby minsten fosterbarnet barnebarnet smaen ungdommen tenaringen
    child kid kids children daughter"""
)
_ADULT_WORDS: Final = _words(
    """faren pappa pappaen mora moren mor mamma mammaen eksen ex eksmannen ekskona
    eksmann eksmannen mannen kona samboeren sambo kjaeresten typen dama stefar stemor
    bestefar bestemor morfar farfar mormor farmor onkel onkelen tante tanta naboen broren
    bror sostera soster svigermor svigerfar vennen venninna kameraten husband boyfriend
    girlfriend partner wife dad father mum mom mother stepfather"""
)
_FOSTER_WORDS: Final = _words(
    """fostermor fosterfar fosterforeldrene fosterforeldra fosterforeldre fostermora
    fosterfaren fosterfamilien fosterheimen fosterhjemmet"""
)
_INSTITUTION_WORDS: Final = _words(
    """barnevernet barnevern barnevernstjenesten barneverntjenesten barnevernstenesta
    barnevernstenesta bv bvtj kommunen staten systemet nemnda fylkesnemnda saksbehandleren
    sakshandsamaren sakbehandleren politiet bufetat statsforvalteren"""
)
_THEY_WORDS: Final = _words("de dei dem they")
_PRON3_WORDS: Final = _words("han hun ho hu hen he she")
_SOMEONE_WORDS: Final = _words("noen nokon someone somebody fremmed framand ukjent ukjente")
_IT_WORDS: Final = _words("det dette it this")
# People in general or someone unnamed: "er det vanlig at foreldre får selvmordstanker?"
_PEOPLE_WORDS: Final = _words(
    """foreldre foreldrene folk man mange andre venn venner venninne venninna vennen kollega
    kollegaen people parents friend"""
)
# Subject pronouns that make a sentence the user's own. "i" and "e" are left out on
# purpose: they are also the Norwegian preposition "i" and the dialect verb "e" (= er).
_FIRST_WORDS: Final = frozenset(_words("jeg eg ae je jae jg ej vi jei"))

_CATEGORY: Final[dict[str, str]] = {
    **{w: "child" for w in _CHILD_WORDS},
    **{w: "adult" for w in _ADULT_WORDS},
    **{w: "foster" for w in _FOSTER_WORDS},
    **{w: "institution" for w in _INSTITUTION_WORDS},
    **{w: "they" for w in _THEY_WORDS},
    **{w: "pron3" for w in _PRON3_WORDS},
    **{w: "someone" for w in _SOMEONE_WORDS},
    **{w: "it" for w in _IT_WORDS},
    **{w: "people" for w in _PEOPLE_WORDS},
    **{w: "first" for w in _FIRST_WORDS},
}

CHILD: Final = _any(_CHILD_WORDS)
# "datteren min på fjorten", "sonen min på 15 år"
_AGE: Final = r"(?: (?:pa|paa) (?:\d+|\w+)(?: ar)?)?"
ADULT: Final = _any(_ADULT_WORDS + _FOSTER_WORDS)
FIRST: Final = _any("jeg|eg|ae|e|je|jae|jg|ej|jei|i")
# The subject after the verb in V2 order: "nå orker jeg ikke mer".
INV: Final = rf"(?: {FIRST})?"
POSS: Final = _any("min|mi|mitt|mine|vart|var|vaart|vores|my|our")
# Adverbs that may sit inside a phrase without changing it ("vil bare dø", "orker faktisk
# ikke mer"). Kept to adverbs: arbitrary words here would let "vil at jeg skal forsvinne"
# (someone else wants me gone) through.
FILL: Final = _any(
    """bare|berre|baerre|bar|bre|helst|egentlig|eigentleg|egentleg|heller|sa|so|veldig|
    virkelig|verkeleg|liksom|lissom|nesten|mest|helt|heilt|faktisk|gjerne|ogsa|og|jo|no|na|
    altsa|seriost|serr|nok|snart|rett og slett|bare lyst|just|really|so|kinda"""
)
NOT: Final = _any("ikke|ikkje|ike|ikk|ik|itj|ittj|ikkj|kje|ikkeh|inte|ikkie|ikje|ikkke")
MORE: Final = _any("mer|meir|mere|mei|meire|lenger|lengre|lengere|lenga|lengar|lenge|anymore")
ORKE: Final = (
    r"(?:o(?:rk|kr)(?:er|e|a|ar|r|et|te)?|klar(?:er|e|a|ar)?|greier|greie|greia|greiar|"
    r"greir|makter|maktar|makte|takler|taklar|takle)"
)
WANT: Final = _any(
    """vil|vill|ville|vl|onsker|onskar|onske|har lyst til|har lyst te|har lyst a|lyst til|
    lyst te|lyst a|lengter etter a|lengtar etter a|kommer til a|kjem til a|kommer te a|
    skal|ska|want|wanna|wish to"""
)
TO: Final = r"(?:a |og |te |to )?"
# Trøndersk and northern dialects drop the final vowel ("å lev", "våkn opp").
LIVE: Final = _any("leve|leva|lev|live")
WAKE: Final = r"(?:vakne|vakna|vakn|vakner|vaknar|vaekne|vokne|vake|wake)(?: opp| up)?"
DIE: Final = _any("do|doe|doy|doey|daue|die")
BE: Final = _any("vaere|vare|vere|vera|vaer|bli|verte|be")
DEAD: Final = _any("dod|daud|dau|daue|dead")
OBJ_ME: Final = _any("meg|mae|mei|myself")
SELF: Final = _any("selv|sjol|sjolv|sjael|sjoll|sjolve")
OBJ: Final = _any(
    [*_words("meg mae mei oss mamma mor pappa henne ham honom dei dem ho han us me her him"),
     *_CHILD_WORDS, "the kids", "the baby", r"my \w+"]
)  # fmt: skip
DRUNK: Final = _any(
    """full|fulle|dritings|drita|pa fylla|i fylla|rusa|ruset|ruspavirka|ruspavirket|beruset|
    berusa|hoy|stein|dopa|dopet|pa rus|pa piller|drunk|high|overstadig beruset"""
)
# Everyday things a parent is fed up with; "orker ikke mer" followed by one of these is
# frustration, not despair.
MUNDANE: Final = (
    r"(?:mot(?:e|er|et|ene|a|ane)|barnevern\w*|bv|bvtj|saksbehandl\w*|sakshandsam\w*|"
    r"prat\w*|snakk\w*|mas\w*|krangl\w*|krangel|papir\w*|skjema\w*|byrakrati\w*|kommun\w*|"
    r"system\w*|vent\w*|nemnd\w*|advokat\w*|tull\w*|styr\w*|brev\w*|telefon\w*|mail\w*|"
    r"epost\w*|samtal\w*|sporsmal\w*|spm|rapport\w*|jobb\w*|skole\w*|lekse\w*|"
    r"fosterforeld\w*|fostermor\w*|fosterfar\w*|dokument\w*|regl\w*|dritt|drit|kjas|"
    r"kjeft\w*|stress\w*|kaos|kontroll\w*|tilsyn\w*|samvaer\w*|samver\w*|kommentar\w*|"
    r"info\w*|soknad\w*|klag\w*|sak|saken|saka|saker|naboen\w*|politi\w*|eksen|"
    r"utsettels\w*|venting|runder|lovnad\w*|lofte\w*|meetings|paperwork|waiting)"
)
JOKE: Final = _any(
    """latter|latterkrampe|skam|sjokk|kjedsomhet|kjedsomheit|kjedelighet|flauhet|flauheit|
    nervositet|spenning|sult|svolt|torst|varme|kulde|glede|lykke|laughter|embarrassment|
    boredom|shame"""
)

# ----------------------------------------------------------------------------- vetoes
# Message-level framings that make a rule's match not a crisis. Each veto may have an
# "unless" pattern: wording that shows the danger is back or happening now.

# Bare "nå" is not enough: "kan det brukes mot meg nå?" is still a question about the past.
# "men nå har jeg det bra": the present is mentioned, but as the recovery, not the danger.
_WELL: Final = (
    r"(?:bra|bedre|betre|fint|godt|frisk|stabil|ok|okei|greit|rusfri|rusfritt|trygg|trygt|"
    r"trygge|glad|lykkelig|over|forbi|skilt|separert|fine|good|well|better|safe|"
    r"divorced|separated)"
)
_NOT_WELL_AHEAD: Final = rf"(?!(?: (?!{NOT}\b|not\b|aldri\b)\w+){{0,3}} {_WELL}\b)"
_PRESENT: Final = (
    r"\b(?:fortsatt|fremdeles|framleis|akkurat na|i kveld|ikveld|i natt|inatt|"
    r"er tilbake|kommer tilbake|kjem tilbake|(?:begynt|starta|startet|kommet|kommer|kjem|"
    r"der|her|tilbake|tanker|tankene|tankane|det|dem|dei) igjen|igjen na|"
    rf"(?:og|men) (?:na|no){_NOT_WELL_AHEAD}|"
    rf"(?:na|no){_NOT_WELL_AHEAD} (?:har|er|e|vil|tenker|tenkjer|orker|kjenner|foler|sliter|"
    r"kjem|kommer)|"
    r"still|again|right now)\b"
)
_VETOES: Final[dict[str, tuple[str, str | None]]] = {
    # Talk about a past that is clearly over ("for to år siden", "da jeg var ung").
    "past_over": (
        r"\bfor (?:\w+ ){0,2}(?:ar|arr|aar|maneder|manader|mnd|maned|manad) "
        r"(?:siden|sida|sia|sidan)\b|\b\d+ (?:ar|maneder|mnd) siden\b|\bi fjor\b|\bifjor\b|"
        r"\bforrige (?:ar|host|vinter|sommer|var)\b|\btidligere\b(?! i dag)|\btidlegare\b|"
        r"\bfor lenge siden\b|\bfor mange ar\b|\bda (?:jeg|eg|ae|e|han|hun|ho|hu|vi|me|de|dei|"
        rf"{CHILD}) var (?:\d+|ung|yngre|liten|"
        r"lita|barn|tenaring|ungdom|gravid|syk|sjuk|innlagt|deprimert)\b|\bsom (?:ung|"
        r"tenaring|ungdom|barn|liten)\b|\bi (?:ungdommen|ungdomstida|ungdomstiden|"
        r"barndommen)\b|\bi (?:19|20)\d\d\b|\ben gang i tiden\b|\bbak meg\b|\byears ago\b|"
        r"\blast year\b|\bin the past\b|\bwhen i was (?:young|a teen|younger)\b|"
        # "det er mange år siden", "it was years ago"
        r"\b(?:er|e|var|va|is|was) (?:\w+ ){0,2}(?:ar|maneder|manader|mnd|uker|veker|years|"
        r"months) (?:siden|sida|sia|sidan|ago)\b|"
        # A relationship that has ended: "før vi ble skilt", "mens vi bodde sammen".
        r"\b(?:for|da|mens|nar|before|when|while) (?:vi|me|jeg|eg|ae|we) (?:ble|blei|vart|"
        r"var|va|were|got) (?:skilt|separert|saman|sammen|gift|kjaerester|divorced|together|"
        r"married)\b|\b(?:for|da|mens|nar|before|when|while) (?:vi|me|we) (?:bodde|budde|lived) "
        r"(?:sammen|saman|together)\b|\b(?:for|da) (?:vi|me|jeg|eg|ae) (?:flyttet|flytta|"
        r"gikk|gjekk|reiste|brot|brakk) (?:fra|fra kvarandre|fra hverandre|ut)\b|"
        # Perfect tense with a final "før": "jeg har hatt selvmordstanker før".
        r"\b(?:har|hadde|have|had) (?:hatt|vaert|vore|had|been)\b(?:(?! \.).)* "
        r"(?:for|before)(?= \.|$)",
        _PRESENT,
    ),
    # Asking what a word means or how to talk about it, not saying it about oneself.
    "info": (
        r"\b(?:hva|kva|ka|hvad|what) (?:er|e|betyr|tyder|meiner|menes|heter|is|does|means)\b|"
        r"\bhvordan (?:snakker|snakke|forklarer|forklare|forteller|fortelle|prater|prate|"
        r"sier|si|hjelper|hjelpe|takler|takle|reagerer|reagere|forebygger|forebygge|"
        r"oppdager|oppdage|merker)\b|\bkorleis (?:snakkar|snakke|forklarar|forklare|fortel|"
        r"fortelje|seier|sei|hjelper|hjelpe)\b|\bhow (?:do|can|should) (?:i|we|you|one|"
        r"parents) (?:talk|speak|explain|tell|help)\b|\b(?:statistikk|forskning|forsking|"
        r"artikkel|foredrag|podkast\w*|film|filmen|bok|boka|boken|serie|serien|dokumentar\w*|"
        r"avis\w*|nyhet\w*|book|movie)\b",
        None,
    ),
    # Saying one is NOT suicidal ("jeg er ikke suicidal", "har ingen selvmordstanker").
    "denial": (
        rf"\b(?:{NOT}|aldri|ingen|never|not|no) (?:har |hatt |er |vaert |vore |hadde )?"
        r"(?:tenkt (?:pa )?|noen |nokon |planer om |plan om )?(?:a )?"
        r"(?:selvmord\w*|sjolvmord\w*|suicidal|suicid\w*)",
        None,
    ),
    # Someone claims or writes it (the service, a report): a case question, not an event.
    "claims": (
        r"\b(?:pastar|pastatt|pastand\w*|hevder|hevdar|hevdet|hevda|beskyld\w*|skulda\w*|"
        r"anklag\w*|skylder pa|logn\w*|lyver|lyg|ljug\w*|usant|feilaktig\w*|falsk\w*|"
        r"bekymringsmelding\w*|mener at|meiner at|skriver at|skriv at|skreiv at|skrev at|"
        r"star det|stod det|sto det|i rapporten|i journalen|accuse\w*|claim\w*)\b|"
        rf"\b{_any(_INSTITUTION_WORDS)} (?:\w+ ){{0,2}}(?:sier|seier|sa|mener|meiner|tror|trur|"
        r"skriver|skriv|vurderer|vurderte|says|said|thinks)\b",
        None,
    ),
    # A child hitting a parent in anger is a reaction (tilknytning.reaksjoner), not danger.
    "child_reaction": (
        rf"\b{CHILD}(?: {POSS})?(?: \w+){{0,8}} (?:han|hun|ho|hu) (?:\w+ )?"
        r"(?:slar|sparker|biter|slo|sparket|sparka|beit|lugger)\b"
        r"(?=.*\b(?:sint|sinna|raseri\w*|sinne\w*|utbrudd\w*|frustrert|lei seg|trass\w*|"
        r"samvaer\w*|samver\w*|nar (?:han|hun|ho) (?:blir|er|bli|skal))\b)",
        r"\b(?:akkurat na|hjelp|politi\w*|full|ruset|rusa|kniv\w*)\b",
    ),
    # Weapons mentioned as a legal question ("har fosterfar lov til å ha våpen?").
    "legal_weapon": (
        r"\b(?:er det lov|lov a|lov til|lovlig\w*|ulovlig\w*|jakt\w*|jeger\w*|lisens\w*|"
        r"vapenskap\w*|vapenkort|tillatelse|skuffen)\b",
        None,
    ),
    "habit": (
        r"\b(?:hver (?:helg|gang|dag|kveld|fredag|lordag)|kvar (?:helg|gong|dag)|pleier|"
        r"pleide|plar|ofte|alltid|heile tida|hele tiden|i helgene|every weekend|always|"
        r"often)\b",
        r"\b(?:akkurat na|na|naa|i kveld|i natt|right now)\b",
    ),
    # "hva gjør jeg hvis ...": asking for advice about a situation that is not happening.
    "hypothetical": (
        r"\b(?:hva|kva|ka|hvordan|korleis|what|how)(?: \w+){0,4} "
        r"(?:hvis|viss|dersom|om|nar|if|when)\b",
        None,
    ),
    # An admission framed as a case question ("kan det brukes mot meg at jeg slo ...").
    "legal_case": (
        r"\b(?:kan det|kan dette|vil det|blir det|brukes|brukast|brukt|i saken|saka|saken|"
        r"nemnd\w*|retten|advokat\w*|tilbake|samvaer\w*|bekymringsmelding\w*|meldt|"
        r"rapport\w*|journal\w*|used against)\b",
        None,
    ),
    # "jeg tar livet av meg hvis jeg må sitte i et møte til, haha": laughing about a chore.
    "joke": (
        rf"^(?=.*\b(?:haha\w*|hehe\w*|hihi|lol|lmao|rofl|xd)\b)(?=.*\b{MUNDANE}\b)",
        None,
    ),
    # "farvel til dere alle, takk for hjelpen": leaving the chat, not life.
    "thanks_for_help": (
        r"\btakk for (?:hjelpen|hjelpa|praten|samtalen|svaret|svarene|svara|infoen|"
        r"informasjonen|tipsene|tipsa|radene|rada)\b|\bthanks? (?:you )?for (?:the |your )?"
        r"(?:help|chat|answers?|info)\b",
        r"\b(?:siste|tilgi|tilgje|elsker|ta vare pa|borte|last|forgive|take care of)\b",
    ),
    "legal_abduction": (
        r"\b(?:regnes som|regnast som|kalles|kallast|definer\w*|er det (?:lov|ulovlig|"
        r"kidnapping|bortforing)|ulovlig\w*|straff\w*|haag\w*|konvensjon\w*|paragraf\w*)\b",
        None,
    ),
}

# Tails: what directly follows a match and turns it into something harmless.
_TAIL_MUNDANE: Final = (
    rf" (?:enn|en|than)\b| (?:(?:av|med|fra|om|pa|i|til|for|hos|under|mot|enn|of|with) )?"
    rf"(?:(?:a|og|dette|det|denne|disse|den|de|dei|alle|sa mange|flere|fleire|noe|noko|"
    rf"slike|sanne|this|these|all|the) )?(?:\w+ )?{MUNDANE}\b"
)
_TAIL_JOKE: Final = (
    rf" (?:{FILL} )?(?:av|i|of|from|with) (?:{JOKE})\b|"
    r" (?:litt )?(?:inni|inne i|innvendig|inside) (?:meg|mae|me)\b|"
    rf" for (?:{CHILD}|barna|ungene|ungane|deg|dere|dykk|dokker|dem|dei|henne|ham|han|ho|"
    r"you|my \w+)\b"
)
_TAIL_CUT: Final = (
    r" (?:ut|av|ned|bort|inn|en|ei|et|eit|litt|noen|nokre|noko|fra|tilbake|off|out)\b|"
    r" (?:\w+ ){0,2}(?:i|pa|on) (?:et |eit |en |ein |ei |a |the |my )?(?:fingeren|fingern|"
    r"fingrane|fingrene|tommelen|finger|"
    r"handa|handen|kniv\w*|glass\w*|papir\w*|boks\w*|ark\w*|barberhov\w*|a knife|paper)\b|"
    r" ved et uhell| by accident| (?:da|nar|when) (?:jeg|eg|i) (?:lagde|laga|skar|kokte|"
    r"barberte|was cooking)"
)
_TAIL_ACCIDENT: Final = (
    r" (?:\w+ ){0,2}(?:pa|i|under|on|at) (?:trening\w*|jobb\w*|fotball\w*|ski\w*|tur|"
    r"glatta|isen|kjokkenet|work|training)\b| ved et uhell| by accident"
)
# "det slår meg at ...", "hun slår meg i sjakk": idioms and games, not blows.
_TAIL_IDIOM: Final = (
    # "slår meg som rart at ...": a thought striking someone.
    r" (?:at|that)\b| som (?:rart|rar|merkelig|merkeleg|underlig|underleg|snodig|pussig|"
    r"urettferdig|feil|odd|strange|(?:litt|veldig|ganske|heilt|helt) \w+)\b|"
    r" (?:\w+ )?(?:i|pa|at) (?:kortspill\w*|kort|sjakk|ludo|yatzy|spill\w*|"
    r"\w+spill\w*|fotball|tennis|badminton|bordtennis|quiz|chess|cards)\b"
)
_TAIL_HARM_KIND: Final = (
    r" (?:\w+ ){0,4}?(?:med a|med og|ved a|ved at|psykisk|emosjonelt|for livet|for alltid|"
    r"utviklingen|fordi|tilknytning\w*|relasjonen|med ord|emotionally)\b|"
    r" (?:ned|til ro|ut|opp|sammen)\b"
)
_TAIL_THREAT_LEGAL: Final = (
    r" (?:\w+ )?(?:med|me|with) (?:a |og )?(?:advokat\w*|politi\w*|anmeld\w*|barnevern\w*|"
    r"klag\w*|sak\w*|rettssak|retten|nemnd\w*|melde\w*|lawyer|police)\b"
)
_TAIL_LEISURE: Final = (
    r" (?:\w+ ){0,3}(?:pa|til|paa|to|on) (?:ferie|tur|hytta|hytte\w*|kino|butikken|skolen|"
    r"barnehagen|trening\w*|fotball\w*|besok|samvaer\w*|bursdag\w*|ski\w*|syden\w*|"
    r"stranda|badet|svommehallen|lekeplassen|sfo|legen|tannlegen|helsestasjonen|"
    r"holiday|vacation|trip)\b"
)
# "forsvinne fra livet hennes": leaving someone's life, not ending one's own.
_TAIL_OUT_OF_LIFE: Final = (
    r" (?:fra|ut av|ifra|from|out of) (?:livet|livene|liva) (?:hennes|hans|deres|dykkar|"
    r"til)\b| (?:fra|ut av|ifra|from|out of) (?:hennes|hans|deres|barnets|ungens|barnas|"
    r"ungenes|her|his|their|my \w+s) (?:liv|life|lives)\b"
)
_TAIL_HOME: Final = (
    r" (?:\w+ ){0,4}?(?:til meg|hos meg|hjem til meg|hjem til oss|til oss|hit|heim til meg|"
    r"to me|with me)\b"
)

_TAIL_ONE_THING: Final = (
    rf" (?:{FILL} )?(?:a|og|to) (?:se|sja|hore|hoyre|tenke pa|tenkje pa|vente|venta|sitte|"
    r"sitja|lese|snakke|prate|mote|treffe|svare|ga pa|dra pa|reise|kjore|watch|see|hear|"
    r"wait|sit|read|talk|meet)\b"
)

# "prøvde å ta livet mitt" is an attempt: a separate rule with its own past veto.
_ATTEMPT_VERBS: Final = ("provde", "provd", "forsokte", "forsokt", "freista", "prova")
_NO_ATTEMPT_BEFORE: Final = "".join(
    rf"(?<!{re.escape(p)} )"
    for p in (
        *(f"{verb} {to}" for verb in _ATTEMPT_VERBS for to in ("a", "og")),
        # V2 order: "da jeg var 17 prøvde jeg å ta livet mitt".
        *(f"{verb} {me} a" for verb in _ATTEMPT_VERBS for me in ("jeg", "eg", "ae", "e")),
        "tried to",
    )
)
_NO_NEGATION_BEFORE: Final = "".join(
    rf"(?<!{re.escape(p)} )"
    for p in (
        "ikke", "ikkje", "itj", "aldri", "ikke a", "ikkje a", "aldri a", "ikke tenkt a",
        "ikkje tenkt a", "aldri tenkt a", "ikke planer om a", "not", "never",
    )
)  # fmt: skip

# ------------------------------------------------------------------------------ rules

Subject = Literal["any", "self", "self_strict", "other", "other_adult", "abductor"]


@dataclass(frozen=True)
class _Rule:
    id: str
    pattern: re.Pattern[str]
    subject: Subject
    tail: re.Pattern[str] | None
    vetoes: tuple[str, ...]

    @property
    def topic(self) -> str:
        return SELVMORD if self.id.startswith("selvmord.") else AKUTT_FARE


def _rule(
    rule_id: str,
    pattern: str,
    *,
    subject: Subject = "any",
    tail: str | None = None,
    vetoes: tuple[str, ...] = (),
) -> _Rule:
    unknown = set(vetoes) - set(_VETOES)
    if unknown:
        raise ValueError(f"{rule_id}: unknown vetoes {sorted(unknown)}")
    return _Rule(
        rule_id,
        re.compile(pattern),
        subject,
        re.compile(tail) if tail else None,
        vetoes,
    )


_MEDICINE: Final = _any(
    """paracet|paracetamol|paralgin|panodil|ibux|ibuprofen|piller|pillar|pillene|pillane|
    tabletter|tablettar|tablettene|sovepiller|sovetabletter|sovetablettane|sobril|vival|
    valium|imovane|zopiklon|insulin|pills|tablets|panadol"""
)
# How long one will still be here: "i morgen", "lenger", "til jul", "til bursdagen hennes".
_UNTIL: Final = (
    r"(?:i morgen|imorgen|lenger|lengre|mer|meir|mye lenger|etter i kveld|etter i natt|"
    r"til jul\w*|til bursdag\w*|til neste \w+|til sommeren|til paske\w*|til nyttar\w*)"
)
# "fortsette å leve", "orke å leve": going on living.
_GO_ON: Final = r"(?:(?:fortsette|fortsetje|fortsetta|halde fram med|holde ut med) (?:a |og )?)"
_GONE: Final = (
    rf"(?:(?:{NOT}|aldri) (?:fantes|fanst|fans|finnes|fins|eksisterte|levde|lever|var her|"
    rf"er her|e her|va her|vore her|var til|var med|hadde vaert|hadde vore|var fodt|ble fodt|"
    rf"vart fodd)|(?:var|va|er|e|vore) (?:{DEAD}|borte|vekk)|dode|dor|doydde|daua|forsvant|"
    r"forsvinner|forsvinn|ble borte|blir borte|vart borte|tok livet mitt|tar livet mitt|"
    r"tok livet av meg|tar livet av meg|was gone|was dead|wasnt here|werent here|"
    r"was not here|were not here|am gone|m gone|were gone|died|disappeared|was never born)"
)

# The user's own suicidal thoughts or self-harm. Order matters only for `reason`.
_SELVMORD_RULES: Final[tuple[_Rule, ...]] = (
    _rule(
        "selvmord.orker_ikke_mer",
        rf"\b{ORKE}{INV}(?: {FILL}){{0,3}} {NOT}(?: {FILL}){{0,2}}"
        rf"(?: (?:dette|det|livet|alt|sann|sanne|slik|noe|noko|nokka|mer)){{0,2}} {MORE}\b",
        subject="self",
        tail=_TAIL_MUNDANE,
    ),
    # A message that is nothing but "(jeg) orker ikke" says it all.
    _rule(
        "selvmord.orker_ikke_alene",
        rf"^(?:{FIRST} )?(?:{FILL} )?{ORKE}{INV} {NOT}(?: {FILL})?(?: \.)*$",
    ),
    _rule(
        "selvmord.holder_ikke_ut",
        rf"\b(?:holder|held|halder|holde|halde) {NOT} ut\b",
        subject="self",
        # "holder ikke ut å se henne gråte": one unbearable sight or task, not life itself.
        tail=_TAIL_MUNDANE + "|" + _TAIL_ONE_THING,
    ),
    _rule(
        "selvmord.vil_ikke_leve",
        rf"\b(?:{WANT}|{ORKE}|gidder|gidd|gidde|kan|fortjener|fortener|fortjente){INV}"
        rf"(?: {FILL}){{0,3}} {NOT}(?: {FILL}){{0,2}} {TO}{_GO_ON}?(?:{LIVE}|{WAKE}|vaere her|"
        r"vere her|vera her|vaere til|vere til|vaere i live|vere i live|finnes|fins|eksistere|"
        r"eksistera)\b|"
        rf"\bhar {NOT} lyst (?:til |te )?{TO}(?:{LIVE}|{WAKE}|vaere her|vere her)\b|"
        rf"\b{NOT}(?: {FIRST})? (?:vil|orker|onsker|klarer|greier|klarar|greiar) {TO}{_GO_ON}?"
        rf"(?:{LIVE}|vaere her|vere her|finnes|eksistere)\b|"
        rf"\b(?:tenker|tenkjer|tenkte|onsker|onskar|lengter|drommer|drommer om)(?: \w+){{0,3}}"
        rf" (?:a|og) {NOT} (?:{LIVE}|finnes|eksistere|{WAKE}|(?:vaere|vere) (?:her|til) {MORE})\b|"
        r"\b(?:dont|do not|no longer) (?:want|deserve) to (?:live|be alive|be here|exist|"
        r"wake up|go on)\b|"
        rf"\b(?:{NOT}|aldri|never|not) (?:\w+ ){{0,3}}(?:klare|klarer|greie|greier|overleve|"
        r"overlever|komme|make it|get) (?:meg |mae )?(?:gjennom|through) (?:natta|natten|"
        r"natt|kvelden|denne natta|denne natten|the night|tonight)\b",
        subject="self",
        # "kan ikke leve med dette vedtaket": cannot accept it, not cannot go on living.
        tail=_TAIL_MUNDANE
        + r"| med (?:det|dette|denne|disse|at|avgjorelsen|vedtaket|beslutningen)\b",
    ),
    # A clause that is nothing but "(jeg) vil ikke mer" / "kan ikke mer" / "gidder ikke lenger".
    # "vil bare at det skal ta slutt", "I want it all to end".
    _rule(
        "selvmord.vil_at_det_slutter",
        rf"\b{WANT}{INV}(?: {FILL}){{0,3}} (?:at )?(?:det|alt|livet|det hele|det heile|alt sammen|"
        rf"alt saman|dette)(?: {FILL})? (?:skal |ska |skulle )?(?:{FILL} )?(?:ta slutt|tek slutt|"
        r"slutte|slutta|bli over|vere over|vaere over|bli slutt|vere slutt|vaere slutt)\b|"
        r"\b(?:want|wish|need) (?:it|everything|this|it all|all this|my life) (?:all )?"
        r"(?:to )?(?:end|stop|be over)\b",
        subject="self",
        # "... skal være over snart, så vi kan komme videre": an end with a future after it.
        tail=_TAIL_MUNDANE
        + rf"|(?: {FILL})* (?:sa|slik at|for at|so|so that) (?:vi|me|jeg|eg|ae|{CHILD}|barna|"
        r"ungene|we|i) (?:kan|far|skal|can|get to)\b",
    ),
    _rule(
        "selvmord.vil_ikke_mer",
        rf"(?:^|\. )(?:(?:na|no) )?(?:{FIRST} )?(?:{FILL} )?(?:vil|vill|gidder|gidd|gidde|kan|"
        rf"klarer|klarar|greier|greiar|makter|maktar){INV}(?: {FILL})? {NOT}(?: {FILL})? {MORE}"
        rf"(?: {FILL})?(?: \.|$)",
    ),
    _rule(
        "selvmord.ikke_her_i_morgen",
        # "kommer ikke til å være her i morgen", "... at jeg ikke skal være her til jul",
        # "har ikke tenkt å være her stort lenger".
        rf"\b(?:(?:kommer|kjem|komme){INV} {NOT} (?:til|te) (?:a |og )?|{NOT} (?:skal|ska|"
        rf"kommer til a|kjem til a) |(?:skal|ska) {NOT} )(?:vaere|vere|vera|bli) (?:her|i live|"
        rf"til|med dere|med dykk|med oss)(?: \w+)? {_UNTIL}\b|"
        rf"\b{NOT} (?:tenkt|tenkt meg|planer om|planar om) (?:a |og )?(?:vaere|vere|vera) "
        r"(?:her|i live) (?:stort |mye |sa mye |sa veldig )?(?:lenger|lengre)\b|"
        r"\b(?:wont|will not|shall not) be (?:here|around|alive) (?:tomorrow|much longer|"
        r"anymore|any more|for long|next week)\b",
        subject="self",
    ),
    # "vil bare slippe å våkne": wishing to be spared waking or living.
    _rule(
        "selvmord.slippe",
        rf"\b(?:{WANT}|skulle onske){INV}(?: {FILL}){{0,3}} (?:{FIRST} )?(?:a |og )?"
        rf"(?:slippe|slepp|sleppe|slapp) {TO}(?:{WAKE}|{LIVE}|vaere her|vere her|eksistere|"
        r"vaere til|vere til|vaere i live|vere i live)\b",
        subject="self",
    ),
    _rule(
        "selvmord.vil_do",
        rf"\b{WANT}{INV}(?: {FILL}){{0,3}} {TO}(?:{DIE}|{BE} {DEAD})\b",
        subject="self",
        tail=_TAIL_JOKE,
        vetoes=("joke",),
    ),
    _rule(
        "selvmord.onsker_seg_dod",
        rf"\b(?:onsker|onskar|onske|skulle onske|skulle onska|haper|hapar|hape|wish|hope)"
        rf"(?: at| that)? (?:{FIRST})(?: {FILL}){{0,2}} (?:(?:var|va|vore) {DEAD}|were dead|"
        rf"dode|daua|dodde|dor|doyr|kunne (?:do|doy|forsvinne|sovne inn|slippe a leve)|"
        rf"slapp a (?:leve|{WAKE})|(?:{NOT}|aldri) (?:fantes|fanst|fans|fins|finnes|"
        r"eksisterte|levde|"
        r"var fodt|var fodd|ble fodt|vart fodd|vaknet|vakner|vaknar|vakna|hadde blitt fodt|"
        r"hadde vaert fodt)|forsvant|ble borte|vart borte|was never born|could die|"
        r"wouldnt wake up|would not wake up|dont wake up)\b",
    ),
    _rule(
        "selvmord.bedre_uten_meg",
        rf"\b(?:best|beste|bedre|betre|lettere|lettare|lettast|lettest|enklere|enklare|better)"
        r" (?:for|te|til) (?:alle|alle sammen|alle saman|alle andre|alle rundt meg|familien|"
        rf"barna|ungene|ungane|barnet|ungen|dei|de|dem|verden|everyone|everybody)"
        rf"(?: \w+){{0,3}} (?:om|hvis|viss|dersom|at|nar|if) (?:{FIRST})(?: {FILL}){{0,2}} "
        rf"{_GONE}\b|"
        r"\b(?:hadde vaert|ville vaert|hadde vore|ville vore|er|var|e|would be|is) "
        rf"(?:best|bedre|betre|lettest|lettere|enklest|better)(?: for \w+)? (?:om|hvis|viss|"
        rf"dersom|if) (?:{FIRST})(?: {FILL}){{0,2}} {_GONE}\b|"
        r"\b(?:alle|alle sammen|alle saman|alle andre|verden|familien|everyone|everybody)"
        r"(?: \w+){0,3} (?:bedre|betre|bere|best|lettere|better off) (?:uten|utan|uta|without) "
        rf"{OBJ_ME}\b|"
        rf"\b(?:better off|bedre|betre|bere|lettere) (?:om|hvis|viss|dersom|if|when) (?:{FIRST})"
        rf"(?: {FILL}){{0,2}} {_GONE}\b|"
        rf"\b(?:{CHILD}|dei|de|dem)(?: {POSS})?(?: \w+)? (?:hadde|ville|vil|kommer til a|"
        r"kjem til a|skulle)(?: \w+){0,3} (?:bedre|betre) (?:uten|utan) (?:meg|mae|mei)\b|"
        rf"\bingen(?: \w+){{0,3}} (?:sa[kv]n\w*|miss\w*) {OBJ_ME}\b|"
        # "ingen vil merke noe om jeg forsvinner", "nobody would care if I died"
        r"\b(?:ingen|ikke noen|ikkje nokon|nobody|no one|noone)(?: \w+){0,3} (?:merke|merker|"
        r"merka|merket|bry seg|bryr seg|brydd seg|sa[kv]n\w*|notice|care|miss)(?: \w+){0,3} "
        rf"(?:om|hvis|viss|dersom|nar|at|if|when|that) (?:{FIRST})(?: {FILL}){{0,2}} {_GONE}\b|"
        rf"\b(?:om|hvis|viss|dersom|nar|if) (?:{FIRST})(?: {FILL}){{0,2}} {_GONE}(?: \w+){{0,4}} "
        r"(?:ingen|ikke noen|ikkje nokon|nobody|no one)(?: \w+){0,2} (?:merke|merker|sa[kv]n\w*|"
        r"bry seg|bryr seg|notice|care|miss)\b|"
        rf"\b(?:{CHILD}|alle|familien|dei|de|dem)(?: {POSS})?(?: \w+){{0,3}} (?:bedre|betre|best) "
        rf"(?:nar|om|hvis|viss|dersom) (?:{FIRST}) (?:er|e|blir|er blitt) (?:borte|vekk|{DEAD})"
        r"\b(?! (?:pa|i|fra|hos))|"
        r"\b(?:nobody|no one|noone) (?:would|will|is going to) miss me\b|"
        rf"\b(?:{FIRST}) (?:er|e|am|m) (?:bare |berre |just )?(?:en|ei|ein|a) "
        r"(?:byrde|belastning|burden)\b",
    ),
    _rule(
        "selvmord.forsvinne",
        rf"\b{WANT}{INV}(?: {FILL}){{0,3}} {TO}(?:forsvinne|forsvinna|forsvinn|forsvin|"
        r"bli borte|verte borte|vaere borte|vere borte|bort fra alt|vekk fra alt|"
        r"bort fra verden|vekk fra verden|slutte a (?:leve|eksistere|finnes|puste)|"
        r"sovne inn|sove for alltid|sove for evig|sove evig|sove for godt|disappear|"
        r"not exist|stop existing|not be here|be gone)\b",
        subject="self",
        tail=_TAIL_MUNDANE + "|" + _TAIL_OUT_OF_LIFE,
        vetoes=("joke",),
    ),
    _rule(
        "selvmord.sove_ikke_vakne",
        rf"\b(?:sove|sova|sovne|sovna|sov|sovner|sovnar|legge meg|leggje meg|legga meg|"
        rf"legge mae|sleep)(?: ned)?(?: {FILL}){{0,3}} (?:og |a |for a |and )?(?:{NOT}|aldri|"
        rf"alri|never|not) (?:{FILL} )?(?:{WAKE}|sta opp|sta opp igjen|reise meg)\b",
        subject="self",
    ),
    _rule(
        "selvmord.ta_livet",
        rf"{_NO_ATTEMPT_BEFORE}{_NO_NEGATION_BEFORE}\b(?:ta|tar|take)"
        rf"(?: (?:{FIRST}))?(?: {FILL}){{0,2}} (?:livet|live) (?:mitt|mit|av {OBJ_ME}"
        rf"(?: {SELF})?)\b|{_NO_ATTEMPT_BEFORE}{_NO_NEGATION_BEFORE}\bta (?:mitt|mit) "
        rf"(?:eget |eige |egne )?liv\b|{_NO_ATTEMPT_BEFORE}{_NO_NEGATION_BEFORE}"
        rf"\b(?:drepe|drepa|drep|dreper|kill|killing) {OBJ_ME} {SELF}\b|"
        r"\b(?:take my (?:own )?life|end my life|kms)\b",
        subject="self",
        vetoes=("joke",),
    ),
    # "drepe meg" without "selv" is a threat when anyone else is the subject
    # ("eg e redd han drep meg"), so only the user's own sentence counts here.
    _rule(
        "selvmord.drepe_meg",
        rf"{_NO_ATTEMPT_BEFORE}{_NO_NEGATION_BEFORE}\b(?:drepe|drepa|drep|dreper|kill|killing)"
        rf" {OBJ_ME}\b",
        subject="self_strict",
        vetoes=("joke",),
    ),
    _rule(
        "selvmord.forsok",
        rf"\b(?:provde|provd|forsokte|forsokt|freista|prova|tried){INV} (?:a |og |to )?"
        rf"(?:ta (?:livet (?:mitt|av {OBJ_ME})|mitt eget liv)|drepe {OBJ_ME}|"
        r"kill myself|end my life|take my (?:own )?life)\b",
        subject="self",
        vetoes=("past_over", "info"),
    ),
    _rule(
        "selvmord.avslutte",
        r"\b(?:avslutte|avslutta|ende|gjore slutt pa|gjere slutt pa|gjora slutt pa|"
        r"gjor slutt pa|fa slutt pa|sette punktum for|end) (?:livet(?: mitt)?|alt|alt sammen|"
        r"alt saman|det hele|det heile|it all|my life)\b|"
        r"\b(?:ferdig med|done with|tired of|lei av|lei|gir opp|gi opp|gitt opp|give up on) "
        r"(?:livet|a leve|a leva|og leve|living|life|alt og alle|alt sammen|alt)\b|"
        r"\b(?:trott|sliten|mett) (?:av |pa )?(?:livet|a leve|a leva)\b",
        subject="self",
        tail=_TAIL_MUNDANE,
    ),
    _rule(
        "selvmord.ingen_vits",
        # An impersonal "det er" is part of the phrase, not someone else as the subject.
        r"\b(?:det (?:er|e|finnes|fins|finst|blir|var|is) )?(?:ingen|ingen ting|ingenting|"
        # "har ikke grunn til å leve", "ser itj nån grunn te å lev"
        rf"{NOT}(?: (?:noen|nokon|nan|non|noe|noko|no|nokka|nakka))?|"
        r"hva er|kva er|ka e|hva e|whats the|what is the|no) "
        r"(?:grunn|grunnen|vits|vitsen|mening|meningen|meining|meininga|poeng|poenget|"
        r"hensikt|hensikten|point|reason) (?:med |i |til |te |for |to |in |of )?"
        # "ingen grunn til at jeg skal være her"
        rf"(?:(?:at|that) (?:{FIRST}) (?:skal |skulle |bor |burde |should )?)?(?:a |og |to )?"
        r"(?:leve|leva|lev|livet|live|living|fortsette a leve|fortsette livet|vaere her|"
        r"vere her|vaere til|vere til|go on|stay alive|keep living)\b|"
        r"\b(?:ingenting|ingen ting|ikke noe|ikkje noko|nothing)(?: igjen| mer| meir| left)? "
        r"(?:a|og|te a|til a|to|te) (?:leve|leva|live) for\b|"
        rf"\blivet(?: mitt)? (?:er|e|has|is) (?:{NOT}|not|no longer|ikke lenger) "
        r"(?:verdt|verd|vaerdt|worth)\b|"
        r"\b(?:ser|finner|finn|har|fins|finnes|finst|see) (?:ingen|ikke noen|ikkje nokon|"
        r"ikke noe|no) (?:annen |anna |other )?(?:utvei|vei ut|veg ut|utveg|way out)\b",
        subject="self",
        tail=_TAIL_MUNDANE,
    ),
    _rule(
        "selvmord.selvskading",
        rf"\b(?:skad\w*) (?:meg|mae|mei) {SELF}\b|"
        r"\b(?:hurt|hurting|harm|harming|cut|cutting) myself\b",
        subject="self",
        tail=_TAIL_ACCIDENT,
    ),
    _rule(
        "selvmord.kutter_seg",
        rf"\b(?:kutt(?:er|e|a|et|ar)?|skjaer(?:er|e)?|skar|risp(?:er|e|a|et|ar)?|"
        rf"rip(?:er|e|a))(?: {FILL})? (?:meg|mae|mei)\b",
        subject="self",
        tail=_TAIL_CUT,
    ),
    _rule(
        "selvmord.metode",
        r"\b(?:ta|tar|tatt|tok|svelge|svelgd|svelgt|svelget|take|took|taken|swallow\w*)"
        rf"(?: {FILL}){{0,2}} (?:alle|masse|mange|en haug|ei haug|hele|heile|all|all my|"
        r"a bunch of) (?:pillene|piller|tablettene|tabletter|tablettar|medisinene|medisiner|"
        r"sovepillene|sovepiller|pills|the pills|my pills)\b|"
        r"\b(?:samlet|samla|spart|sparer|sparar|samler|samlar) (?:pa )?(?:\w+ )?(?:piller|"
        r"pillene|tabletter|tablettene|tablettar|medisiner|medisinene|sovepiller|"
        r"sovepillene|pills)\b|"
        r"\b(?:ta|tar|tatt|tok|take|took) (?:en |ein |ei |an )?overdose\b|"
        # "I have pills and I'm going to take them all": pills named, then all of them taken.
        r"^(?=.*\b(?:piller|pillene|pillane|tabletter|tablettene|tablettane|medisiner|"
        r"medisinene|medisinane|sovepiller|pills|tablets|meds|medication)\b)(?=.*\b(?:ta|tar|"
        r"svelge|svelgje|take|swallow|taking|swallowing) (?:dem alle|dei alle|alle sammen|"
        r"alle saman|them all|all of them|hele (?:pakka|pakken|boksen|esken|glasset|brettet)|"
        r"heile (?:pakka|boksen|esken|glaset)|the whole (?:bottle|box|pack|lot))\b)|"
        r"\b(?:hoppe|hoppa|hopper|hoppar|kaste meg|kaster meg|kasta meg|jump) "
        r"(?:foran|framfor|fremfor|ut fra|utfor|ned fra|fra|ut av|ut i|in front of|off) "
        r"(?:toget|et tog|eit tog|bussen|trikken|brua|broa|bro|bru|ei bru|en bro|taket|"
        r"vinduet|balkongen|fjellet|stupet|blokka|bygget|t banen|tbanen|lastebilen|"
        r"en lastebil|a train|the train|a bridge|the bridge|the roof)\b|"
        rf"\b(?:henge|henga|heng|hang) {OBJ_ME}\b(?! (?:pa|med|etter|inn|opp|pa det))|"
        rf"\b(?:skyte|skyt|shoot) {OBJ_ME}\b|"
        r"\bkjore (?:meg )?(?:rett |rakt |beint )?(?:i|inn i|ut|utfor|ut i) (?:fjellet|"
        r"en fjellvegg|fjellveggen|motende|en lastebil|veggen|autovernet|fjorden|sjoen|"
        r"havet|elva|vannet)\b|"
        # "sitter på kanten av taket nå": at the edge, whatever comes next.
        r"\b(?:star|sitter|sit|er|e|am|standing|sitting) (?:ytterst pa (?:kanten av )?|"
        r"(?:pa |ved |on |at )?(?:kanten av|kanten pa|the edge of) )(?:taket|brua|broa|stupet|"
        r"fjellet|perrongen|balkongen|the roof|the bridge)\b|"
        # "gjør det vondt å drukne?", "hvor mange paracet må man ta for at det skal være nok".
        r"\b(?:gjor det vondt|gjer det vondt|det gjor vondt|det gjer vondt|hvor vondt er det|"
        r"kor vondt er det|hvor lang tid tar det|kor lang tid tek det|hvor lenge tar det|"
        r"does it hurt) (?:a |og |to )?"
        r"(?:drukne|drukna|henge seg|henga seg|blo ihjel|fryse ihjel|drown|bleed out)\b|"
        rf"\bhvor mange {_MEDICINE} (?:\w+ ){{0,3}}(?:for at det skal (?:vaere|vere|bli) nok|"
        r"for a (?:do|doy|ikke vakne|ikkje vakne|sovne for godt)|er (?:dodelig|dodeleg|nok til "
        r"a do))\b|\b(?:dodelig|dodeleg|lethal) dose\b|"
        rf"\bhow many {_MEDICINE} (?:\w+ ){{0,4}}(?:to die|to kill|is lethal|is enough)\b|"
        rf"^(?=.*\b{_MEDICINE}\b)(?=.*\b(?:na eller aldri|no eller aldri|now or never)\b)|"
        r"\b(?:avskjedsbrev|farvelbrev|selvmordsbrev|sjolvmordsbrev|suicide note)\b|"
        r"\b(?:planlagt|planlegger|planlegg|planla|bestemt meg for|tenkt ut) (?:hvordan|korleis|"
        rf"nar|kva tid|hvor|kor|how|when) (?:{FIRST}) (?:skal|ska|will|am going to) (?:gjore|gjere|"
        rf"gjera|gjor|do) det\b(?!(?: \w+){{0,2}} (?:pa|i|under|med|til|at|on) (?:\w+ )?{MUNDANE})|"
        # "har bestemt meg, skal gjøre det i natt": a decision and a time.
        r"^(?=.*\b(?:bestemt meg|bestemt|decided|made up my mind)\b)(?=.*\b(?:gjore|gjere|"
        rf"gjera|gjor|do|doing) (?:{FILL} )?(?:det|it) (?:i kveld|i natt|inatt|ikveld|i morgen|"
        r"imorgen|na|no|snart|tonight|today|tomorrow|soon)\b)|"
        r"\b(?:star|sitter|sit|er|e|am) (?:pa|oppa|ved|pa kanten av|on) (?:brua|broa|bru|bro|"
        r"taket|kanten|stupet|skinnene|togskinnene|jernbaneskinnene|the bridge|the roof)\b"
        r"(?=.*\b(?:ser ned|hoppe|hopp|hoppar|hopper|akkurat na|farvel|orker|jump)\b)",
        subject="self",
    ),
    _rule(
        "selvmord.farvel",
        rf"\bsiste gang (?:{FILL} )?(?:dere|du|dokker|dykk|noen|nokon|noen av dere|"
        r"nokon av dykk|ungene|barna|you|anyone|everyone)(?: \w+)? (?:horer|hoyrer|hore|"
        r"hoyre|ser|sjar|hear|hears|see|sees) (?:noe |noko )?(?:fra|ifra|fra meg|av|from|"
        r"til|meg|me)\b|"
        rf"\bsiste (?:gang|gong|gangen|gongen) (?:{FIRST}) (?:skriver|skriv|sender|sendar|"
        r"snakker|snakkar|write|writes)\b(?! (?:til|om|pa|with|to) )|"
        r"\b(?:farvel|farval|adjo|adieu|goodbye|bye) (?:alle|alle sammen|alle saman|"
        r"til alle|til dere alle|til dykk alle|til dokker alle|til verden|til livet|to you all|"
        r"to everyone|verden|for alltid|for godt|for evig|everyone|forever|world|"
        r"og takk for alt|og tilgi meg)\b|"
        r"\b(?:dette|det|this) (?:er|e|is) (?:(?:mitt|et|eit|my|a) )?(?:siste )?(?:farvel|adjo|"
        # "det er farvel til fostermor i dag" is a goodbye to someone, not from life.
        r"goodbye)\b(?! (?:til|to|fra|from|med|with) (?!alle|dere|dykk|everyone|you)\w)|"
        r"\b(?:mitt|mi|min|my) siste (?:melding|beskjed|brev|ord|hilsen|message)\b|"
        r"\b(?:dette|det|this) (?:er|e|is) (?:den|denne|det|min|mi|mitt|my|the) siste "
        r"(?:melding|meldingen|beskjed|beskjeden|brev|brevet|message)\b|"
        r"\bsiste (?:melding|meldingen|beskjed|beskjeden|brev|brevet) "
        r"(?:jeg|eg|ae|i) (?:skriver|skriv|sender|sendar|will send|write)\b|"
        rf"\b(?:si|sei|seie|tell) (?:til )?(?:{CHILD}|barna|ungene|ungane)(?: {POSS})? "
        r"(?:at |that )?(?:mamma|pappa|mor|far|jeg|eg|ae|i) (?:alltid )?(?:var|was|loved|"
        r"elsket|elska|har elsket|alltid har vaert) (?:(?:sa |so )?glad i )?"
        rf"(?:them|him|her|dem|dei|han|ham|henne|ho|hu|deg|dere|dykk|{CHILD})\b|"
        r"\b(?:nar|naar|when) (?:dere|du|dokker|dykk|you) (?:leser|les|read) (?:dette|denne|"
        rf"this)(?: \w+){{0,2}} (?:er|e|har|am|will|have|ll|will be)(?: {FIRST})? "
        rf"(?:borte|dod|daud|gone|dead|gatt|reist|(?:{NOT}|not|no longer) (?:her|here|i live|"
        r"alive)(?: lenger| mer| meir| anymore)?)\b|"
        rf"\b(?:ta|tek|take) (?:godt |good )?(?:vare pa|care of) (?:{CHILD}|barna|ungene|"
        rf"ungane)(?: {POSS})? (?:for meg|nar jeg er borte|nar eg er borte|etter meg|"
        r"when i am gone|when im gone|for me)\b|"
        r"\b(?:tilgi|tilgje|unnskyld|beklager)(?: meg)?(?: for alt)?(?: \w+){0,3} "
        r"(?:farvel|adjo|elsker dere|glad i dere|ha det for alltid)\b",
        # "den siste meldingen fra barnevernet" is the service's, not a farewell.
        tail=r" (?:fra|ifra|from) (?!meg\b|mae\b|me\b)\w+",
        vetoes=("thanks_for_help",),
    ),
    # A farewell word together with a letter left behind, a request to care for the
    # children, or a last declaration of love: "Har skrevet brev til barna. Farvel."
    _rule(
        "selvmord.farvel_brev",
        r"^(?=.*\b(?:farvel|farval|adjo|adieu|goodbye)\b)(?=.*\b(?:(?:skrevet|skreve|skrivi|"
        r"skrev|skreiv|lagt igjen|latt igjen|written|wrote|left) (?:\w+ )?(?:et |eit |ei |en |a )?"
        r"(?:brev|letter|letters|lapp|lappar|lapper) (?:til|to|for)|ta (?:godt )?vare pa|"
        r"take care of|tilgi meg|tilgje meg|forgive me|elsker dere|glad i dere|love you all)\b)",
    ),
    _rule(
        "selvmord.gi_bort",
        r"\b(?:gitt|gitte|gir|gi|ga|gav|gjeve|gjev|gje|given|giving|gave) (?:bort|vekk|away) "
        r"(?:\w+ ){0,4}?(?:alle |all )?(?:tingene|tinga|tingane|tinger|sakene|sakane|"
        rf"eiendelene|eigedelane|klaerne|kleda|tingan|ting|stuff|things|belongings) {POSS}\b|"
        r"\b(?:giving|gave|given|give|giving) away (?:all )?(?:of )?(?:my|all my) "
        r"(?:things|stuff|belongings|clothes|possessions)\b|"
        r"\b(?:gitt|gir|ga|gav|gjeve|gje|given|gave) (?:bort|vekk|away) (?:alt|alt sammen|"
        r"alt saman|alt jeg eier|alt eg eig|alt eg har|alt jeg har|everything|all my stuff|"
        r"all my things)\b(?! av| of)|"
        # "har sagt ha det til mamma og gitt bilen til broren min".
        r"^(?=.*\b(?:sagt|sa|sei|tatt) (?:ha det|hade|farvel|adjo)\b)(?=.*\b(?:gitt|gitte|ga|"
        r"gav|gjeve) (?:bort |vekk )?(?:\w+ )?(?:bilen|katten|hunden|leiligheten|leilegheita|"
        r"huset|smykkene|klaerne|tingene|pengene|sparepengene|mobilen|passordene)\b)",
        subject="self",
    ),
    _rule(
        "selvmord.gjore_noe_dumt",
        r"\b(?:redd|frykter|fryktar|tenker pa a|tenkjer pa a|lyst til a|lyst a|"
        r"kommer til a|kjem til a|kan finne pa a|finner pa a|kan komme til a|afraid|scared)"
        r"(?: \w+){0,3} (?:gjore|gjere|gjera|gjor|gjer|do) (?:noe|noko|nokka|nakka|no|"
        r"something) (?:dumt|dum|galt|stupid|drastic|drastisk)\b",
        subject="self",
        tail=rf" (?:mot|med|i|pa|to|with) (?:{CHILD}|henne|ham|han|ho|dei|dem|"
        rf"eksen|{MUNDANE})\b" + "|" + _TAIL_MUNDANE,
    ),
    _rule(
        "selvmord.engelsk",
        r"\b(?:i |im |i am )?(?:want|wanna|wish|going|gonna|plan|planning|thinking about|"
        r"think about|thought about|thinking of|considering) (?:to )?(?:die|be dead|"
        r"kill myself|end my life|end it all|end it|take my (?:own )?life|disappear|"
        r"not exist|not be here|not wake up|not be alive|ending (?:my life|it all|it)|"
        r"killing myself|taking my (?:own )?life|dying|not waking up)\b|"
        r"\b(?:cant|can not|cannot) (?:go on|take (?:it|this) any ?more|do this any ?more|"
        r"cope any ?more|live like this)\b|"
        r"\b(?:better off without me|no reason to live|nothing to live for)\b|"
        # "I won't be around for the meeting. Tell the foster mom thank you ...".
        r"^(?=.*\b(?:wont|will not|im not going to|i m not going to) be (?:around|here|alive)"
        r"\b)(?=.*\b(?:deserves? (?:better|a better)|better off|thank you for taking care|"
        r"take care of (?:him|her|them)|tell (?:\w+ ){0,3}(?:i love|that i love)|forgive me|"
        r"goodbye)\b)",
        subject="self",
        tail=_TAIL_JOKE,
    ),
    # Naming it: "selvmordstanker", "suicidal". Framing decides, so the vetoes are strict
    # and the subject must be the user (or unnamed).
    _rule(
        "selvmord.ord",
        r"\b(?:selvmord\w*|sjolvmord\w*|sjolmord\w*|selmord\w*|selvmor|suicid\w*|"
        r"livstrett\w*|selvskad\w*|sjolvskad\w*|self ?harm\w*)\b",
        subject="self_strict",
        vetoes=("past_over", "info", "denial", "claims"),
    ),
)

_KILL: Final = (
    r"(?:drepe|drepa|drep|ta livet av|ta livet|skyte|skyta|stikke|stikka|knivstikke|"
    r"sla (?:meg |oss )?i ?hjel|skade|skada|sla|banke|juling|kverke|kvele|kvela|voldta|"
    r"brenne|kill|hurt|stab|shoot|beat)"
)
_TAKE_CHILD: Final = (
    rf"(?:ta med seg (?:{CHILD}|barna|ungene)|romme med|stikke av med|forsvinne med|"
    r"reise (?:ut av landet |fra landet )?med|kidnappe|bortfore|"
    r"take (?:the |my )?(?:child|kids|son|daughter|baby))"
)
_WEAPON: Final = (
    r"(?:kniv|kniven|pistol|pistolen|vapen|vapenet|gevaer|gevaeret|hagle|hagla|oks|oksa|"
    r"balltre|skytevapen|revolver|machete|knife|gun|weapon)"
)

_HARMED: Final = rf"(?:{CHILD}|henne|ham|han|ho|dei|dem|den lille|her|him|my \w+)"
_HARM_CHILD: Final = (
    r"(?:(?:skade|skada|skader|skadar|sla|slar|riste|rister|drepe|drepa|ta livet av|kvele|"
    rf"kvela|mishandle|hurt|harm|hit|shake|kill) {_HARMED}|"
    r"(?:gjore|gjere|gjera|gjor|gjer|do) (?:noe |noko |nokka |nakka |noe dumt |noko dumt |"
    rf"vondt |something )?(?:med|mot|to) {_HARMED}|"
    rf"(?:gjore|gjere|gjera|gjor) {_HARMED} (?:noe|noko|nokka|nakka|vondt|skade|noe vondt|"
    r"noko vondt|noe galt|noko gale))"
)

# Someone in danger now: violence or threats, a child at risk, fear of harming one's own
# child, abduction.
_AKUTT_RULES: Final[tuple[_Rule, ...]] = (
    _rule(
        "akutt.vold",
        r"\b(?:slar|slaer|sla|slr|slor|sparker|sparkar|kveler|kvelar|banker|bankar|juler|drep|"
        r"dreper|"
        r"dytter|dyttar|angriper|lugger|luggar|kloer|biter|voldtar|misbruker|misbrukar|"
        r"mishandler|mishandlar|forgriper seg pa|befoler|truer|trugar|truar|stikker|skyter|"
        r"skader|skadar|hitting|beating|attacking|choking|hurting|threatening|hits|beats|"
        rf"attacks|chokes)(?: {FILL})? {OBJ}\b",
        subject="other_adult",
        tail=_TAIL_HARM_KIND + "|" + _TAIL_THREAT_LEGAL + "|" + _TAIL_IDIOM,
        vetoes=("past_over", "claims", "child_reaction"),
    ),
    # "har tatt kvelertak på meg", "holder meg fast og lar meg ikke gå".
    _rule(
        "akutt.holder_fast",
        r"\b(?:tar|tatt|tok|tek|teke|har|held|holder|holdt|put|puts|has)(?: \w+)? (?:kvelertak|"
        rf"struptak|chokehold|a chokehold) (?:pa|rundt|on|around) {OBJ}\b|"
        r"\b(?:holder|holdt|halder|held|holding|pinning|pins) (?:meg|mae|oss|me|us) "
        r"(?:fast|nede|down)\b|"
        rf"\b(?:lar|slepp|slipper|let|lets) (?:meg|mae|oss|me|us) {NOT} (?:ga|dra|gaa|ut|leave|"
        # "lar meg ikke gå på foreldremøtet" is about an event, not being held.
        r"go)\b(?! (?:pa|til|to) )|"
        r"\b(?:wont|will not|doesnt|does not) let (?:me|us) (?:leave|go|out)\b|"
        r"\bnekter (?:meg|oss) a (?:ga|dra|forlate|ringe)\b",
        subject="other_adult",
        tail=r" (?:i|pa|by|on) (?:handa|handen|hand|armen|the hand)\b",
        vetoes=("past_over", "claims", "child_reaction", "hypothetical"),
    ),
    # "kaster ting etter meg": objects thrown at someone.
    _rule(
        "akutt.kaster",
        r"\b(?:kaster|kastar|kasta|kastet|hiver|hiv|slenger|slengjer|throws|throwing|threw)"
        # "kaster skylda på meg", "kaster et blikk på meg": blame and looks are not blows.
        r"(?: (?!skyld\w*|ansvar\w*|blikk\w*|ball\w*|snoball\w*|glans|lys|the blame)\w+){0,2} "
        rf"(?:etter|pa|mot|at) {OBJ}\b",
        subject="other_adult",
        tail=_TAIL_IDIOM,
        vetoes=("past_over", "claims", "child_reaction", "habit"),
    ),
    _rule(
        "akutt.vold_fortid",
        r"\b(?:slo|har slatt|har slaett|sparket|sparka|kvelte|kvalte|banket|banka|angrep|"
        r"voldtok|har voldtatt|dyttet|dytta|lugget|lugga|truet|trua|har truet|har trua|hit|"
        rf"beat|attacked|choked|raped|threatened) {OBJ}\b",
        subject="other_adult",
        tail=_TAIL_HARM_KIND + "|" + _TAIL_THREAT_LEGAL + "|" + _TAIL_IDIOM,
        vetoes=("past_over", "claims", "child_reaction"),
    ),
    # V2 word order: "nå slår han meg", "i går slo han meg igjen".
    _rule(
        "akutt.vold_omvendt",
        r"\b(?:slar|slo|sparker|sparket|kveler|kvelte|banker|banket|truer|truet|voldtok|"
        rf"angriper|angrep) (?:han|hun|ho|hu|eksen|faren|mannen|kjaeresten|samboeren|typen|"
        rf"fosterfar|fostermor) {OBJ}\b",
        tail=_TAIL_HARM_KIND + "|" + _TAIL_THREAT_LEGAL + "|" + _TAIL_IDIOM,
        vetoes=("past_over", "claims", "child_reaction"),
    ),
    _rule(
        "akutt.trussel",
        r"\b(?:truer|truar|trugar|truga|truet|trua|true|truande|threatens|threatened|"
        r"threatening)(?: (?:meg|oss|mae|me|us))? (?:med|me|to) (?:a |og |te )?"
        rf"(?:{_KILL}|{_TAKE_CHILD})|"
        r"\b(?:truer|truar|trugar|truga|truet|trua|threatens|threatened|threatening)"
        rf"(?: (?:meg|oss|mae|me|us))? (?:med|me|with) (?:en |ei |et |eit |ein |a )?{_WEAPON}\b",
        subject="other",
        tail=_TAIL_HARM_KIND,
        vetoes=("past_over", "claims"),
    ),
    _rule(
        "akutt.drapstrussel",
        r"\b(?:skal|ska|vil|kommer til a|kjem til a|kommer te a|prover a|prover og|"
        r"forsoker a|skulle|going to|gonna|will|is trying to|tries to)"
        rf"(?: {FILL}){{0,2}} (?:drepe|drepa|ta livet av|skyte|skyta|knivstikke|stikke ned|"
        r"sla ihjel|sla i hjel|kverke|kvele|kvela|sla|banke|skade|skada|voldta|kill|hurt|"
        rf"stab|shoot) {OBJ}\b",
        subject="other",
        tail=_TAIL_HARM_KIND,
        vetoes=("past_over", "claims"),
    ),
    _rule(
        "akutt.vapen",
        r"\b(?:har|med|holder|holdt|viser|trakk|trekker|tok fram|tatt fram|dro fram|"
        r"vifter med|veiver med|sto med|star med|kom med|has|had|with|holding|pulled)"
        rf" (?:en |ei |et |eit |ein |a )?{_WEAPON}\b",
        subject="other",
        vetoes=("past_over", "legal_weapon", "hypothetical"),
    ),
    _rule(
        "akutt.redd_for_livet",
        r"\b(?:redd|frykter|fryktar|engstelig|scared|afraid|fear) (?:for|om|about) "
        rf"(?:livet|my life|our lives)(?: (?:mitt|mit|vart|vaart|til (?:{CHILD}|barna|"
        r"ungene|meg|oss)|hans|hennes|deres))?\b|"
        r"\blivredd (?:for )?(?:han|ham|henne|ho|eksen|faren|mannen|kjaeresten|samboeren|"
        r"typen|fosterfar|fostermor)\b|"
        rf"\b(?:tor|tor ikkje) {NOT}? ?(?:a |og )?(?:apne (?:doren|dora|doera)|ga hjem|"
        r"dra hjem|gaa heim|ga heim|vaere hjemme|vere heime)\b",
        vetoes=("past_over",),
    ),
    _rule(
        "akutt.innbrudd",
        r"\b(?:bryter|bryt|prover a bryte|forsoker a bryte|skal bryte|holder pa a bryte) "
        r"(?:seg )?inn\b|"
        r"\b(?:sparker|sparkar|slar|knuser|knuse|sparke|sla) inn (?:doren|dora|doera|"
        r"vinduet|vindauget|ruta)\b|"
        rf"\b(?:star|sto|stod) (?:{FILL} )?(?:utenfor|utafor|utanfor)(?: (?:doren|dora|doera|"
        r"huset|leiligheten|leilegheita|vinduet|hos meg|ytterdoren))?(?: \w+){0,3} (?:og )?"
        r"(?:banker|bankar|"
        r"roper|skriker|truer|trugar|broler|hamrer|hamrar|sparker|med kniv|nekter a ga|"
        rf"tor {NOT}|vil {NOT} ga)\b|"
        r"\b(?:breaking in|trying to get in|trying to break in)(?:to)?\b|"
        r"\b(?:bryter|bryt|bryte|brekker|brekke|brekk) opp (?:doren|dora|doera|ytterdoren|"
        r"vinduet)\b",
        vetoes=("past_over",),
    ),
    _rule(
        "akutt.barn_i_fare",
        rf"\b{CHILD}(?: {POSS})?{_AGE}(?: {FILL}){{0,2}} (?:er|e|is|are)(?: {FILL})? "
        r"(?:i (?:livs)?fare|i livsfare|i akutt fare|i stor fare|in (?:great |immediate )?"
        rf"danger)\b|\b{CHILD}(?: {POSS})?(?: {FILL}){{0,2}} (?:er|e) {NOT} trygg\w* "
        r"(?:na|akkurat na|i kveld|i natt)\b",
        vetoes=("claims", "hypothetical", "info"),
    ),
    _rule(
        "akutt.alene_med_rus",
        rf"^(?=.*\b(?:{CHILD})\b)"
        r"(?=.*\b(?:alene|aleine|aleina|alein|aline|alone|ansvar(?:et)? for|passer pa|"
        r"passar pa|kjorer|kjore|kjoyrer|kjoyre|bak rattet|i bilen|driving|looking after|"
        r"har (?:ungen|barnet|barna|ungene))\b)"
        rf"(?=.*\b(?:(?:er|e|is|blitt|vorte|har blitt)(?: {FILL})? {DRUNK}\b(?! av| of)|"
        # "med en full sjåfør", "with a drunk driver"
        rf"(?:en|ein|ei|a) {DRUNK} (?:sjafor|sjofor|voksen|vaksen|mann|kvinne|dame|person|"
        r"driver|adult|man|woman)\b))|"
        rf"^(?=.*\b(?:{CHILD})\b)(?=.*\b(?:kjorer|kjoyrer|kjore|kjoyre|driving)"
        r"(?: \w+){0,3} (?:i fylla|full|ruset|rusa|beruset|med promille|drunk)\b)",
        vetoes=("habit", "past_over", "hypothetical"),
    ),
    _rule(
        "akutt.barn_savnet",
        rf"\b{CHILD}(?: {POSS})?{_AGE}(?: {FILL}){{0,2}} (?:er|e|har|has|is|have)(?: {FILL})? "
        r"(?:savnet|sakna|saknet|forsvunnet|forsvunne|forsvunni|forsvant|blitt borte|"
        r"vorte borte|kommet bort|komme bort|missing|gone missing|disappeared|romt|rymt|"
        r"stukket av|stukke av|run away|ran away)\b|"
        rf"\b(?:finner|finn|fann) {NOT} (?:{CHILD})\b|"
        rf"\b{CHILD}(?: {POSS})?{_AGE} (?:er|e) borte\b(?=.*\b(?:ingen vet|ingen veit|vet ikke|"
        r"veit ikkje|veit itj|vet ikkje|finner ikke|finn ikkje|svarer ikke|svarar ikkje)\b)|"
        rf"\b{CHILD}(?: {POSS})?{_AGE} (?:har|er|e) {NOT} (?:kommet|komme|kome|kommi) "
        r"(?:tilbake|hjem|heim)\b(?=.*\b(?:svarer ikke|svarar ikkje|svarer ikkje|svarer itj|"
        r"tar ikke telefonen|vet ikke hvor|veit ikkje kor|ingen vet|etter samvaer\w*)\b)|"
        rf"\b(?:cant|cannot|can not) find (?:my |the )?(?:{CHILD}|son|daughter)\b",
        tail=_TAIL_HOME,
        vetoes=("habit", "past_over", "hypothetical"),
    ),
    _rule(
        "akutt.barn_mishandles",
        rf"\b{CHILD}(?: {POSS})?{_AGE}(?: {FILL}){{0,2}} (?:blir|vert|blei|ble|har blitt|"
        rf"har vorte|is being|was|gets|got)(?: {FILL})? (?:slatt|slegen|slege|mishandlet|"
        r"mishandla|misbrukt|utnytta|utnyttet|voldtatt|befolt|banka|banket|sparka|sparket|"
        r"lugga|lugget|truet|trua|kvalt|innestengt|stengt inne|hit|beaten|abused|hurt)\b",
        vetoes=("past_over", "claims", "hypothetical"),
    ),
    # Someone else (usually the child, sometimes the ex) talking about ending their life.
    _rule(
        "akutt.andres_selvmord",
        rf"\b(?:{CHILD}|{ADULT}|han|hun|ho|hu|he|she)(?: {POSS})?(?: \w+){{0,5}} "
        r"(?:ta livet (?:sitt|av seg)|ta sitt (?:eget )?liv|drepe seg(?: selv| sjol)?|"
        r"skad\w* seg (?:selv|sjol|sjolv)|kutt(?:er|a|et|e|ar)? seg|risp\w* seg|"
        r"har selvmordstank\w*|har sjolvmordstank\w*|selvmordstank\w*|er suicidal|"
        r"is suicidal|vil do|vil doy|ville do|vil ikke leve|vil ikkje leva|"
        r"kill (?:himself|herself)|wants to die|hurting (?:himself|herself))\b",
        tail=_TAIL_CUT,
        vetoes=("info", "past_over", "hypothetical"),
    ),
    _rule(
        "akutt.redd_for_a_skade_barnet",
        r"\b(?:redd|redde|engstelig|frykter|fryktar|bekymret|bekymra|livredd|skremt|afraid|"
        rf"scared|worried)(?: \w+){{0,2}} (?:{FIRST})(?: {FILL}){{0,2}}(?: (?:skal|ska|"
        r"kommer til a|kjem til a|kommer te a|kan|kunne|skulle|vil|ll|will|might|could|may|"
        rf"kan finne pa a|kan komme til a))? (?:{FILL} )?"
        # "... skal miste kontrollen og slå ungen"
        r"(?:(?:miste kontrollen|miste besinnelsen|miste hodet|klikke|eksplodere|lose control|"
        r"snap)(?: og| and) )?"
        rf"{_HARM_CHILD}\b",
        tail=_TAIL_HARM_KIND,
    ),
    _rule(
        "akutt.redd_for_barnet",
        r"\b(?:redd|redde|engstelig|frykter|fryktar|livredd|afraid|scared)(?: \w+){0,2} "
        rf"(?:{_any(_PRON3_WORDS)}|{_any(_ADULT_WORDS)}|noen|nokon)(?: {FILL}){{0,2}} "
        r"(?:skal|ska|kommer til a|kjem til a|kan|vil|will|might|is going to) "
        rf"(?:{_HARM_CHILD}|ta (?:med seg )?{CHILD}|kidnappe|bortfore)\b",
        tail=_TAIL_HARM_KIND,
        vetoes=("past_over", "hypothetical"),
    ),
    _rule(
        "akutt.innestengt",
        r"\b(?:blir|er|ble|har blitt|vert|is|am|are|being) (?:holdt |held )?(?:innestengt|"
        r"innelast|innesperret|sperret inne|stengt inne|last inne|locked in|locked up)\b",
        vetoes=("past_over", "info"),
    ),
    _rule(
        "akutt.laser_inne",
        r"\b(?:last|laste|laser|lest|stengt|stengte|stenger|sperret|sperra|sperrer|locked|"
        r"locks|is locking|has locked) (?:meg|mae|oss|me|us|ho|henne|han|ham|"
        rf"{CHILD}(?: {POSS})?) (?:inne|in|up|inside)\b",
        subject="other_adult",
        vetoes=("past_over", "info", "hypothetical"),
    ),
    # "sitter låst inne på badet, samboeren er ruset og slår løs på døra": hiding from
    # someone raging outside. Hiding alone ("låst meg inne og gråter") is not enough.
    _rule(
        "akutt.gjemmer_seg",
        r"\b(?:(?:sitter|sit|star|er|ligger)(?: \w+)? (?:last|stengt|sperret) inne|"
        r"(?:har |hadde )?(?:last|laste|stengt|stengte|sperret|sperra) (?:meg|mae|oss) inne|"
        r"gjemmer (?:meg|mae|oss)|gjoymer (?:meg|oss)|har gjemt (?:meg|oss)|"
        r"(?:am|are|im|were) hiding|locked (?:myself|us) in)"
        r"(?: \w+){0,3} (?:pa|i|in) (?:the )?(?:badet|baderommet|do|doen|toalettet|rommet|"
        r"soverommet|skapet|kjelleren|bilen|bathroom|bedroom|room)\b"
        r"(?=.*\b(?:slar|banker|bankar|hamrer|hamrar|sparker|sparkar|roper|skriker|"
        rf"truer|trugar|{DRUNK}|rasende|voldelig|kniv|bryter|banging|kicking|screaming)\b)",
        vetoes=("past_over", "hypothetical", "info"),
    ),
    # "faren har sagt at han kommer for å ta ham med": a threatened abduction, today.
    _rule(
        "akutt.kommer_for_a_ta",
        r"\b(?:kommer|kjem|skal komme|is coming|coming) (?:for a|for og|og|to) "
        rf"(?:ta|snappe|rappe|take|snatch) (?:med seg )?(?:ham|han|henne|ho|hu|barna|ungene|"
        rf"{CHILD}(?: {POSS})?)(?: med)?(?: seg)?\b",
        subject="abductor",
        tail=_TAIL_LEISURE,
        vetoes=("past_over", "hypothetical", "legal_abduction"),
    ),
    _rule(
        "akutt.forfolgt",
        r"\b(?:folger|folgjer|fulgte|folgde) etter (?:meg|mae|oss)\b|"
        r"\b(?:forfolger|forfolgjer|stalker|stalking|is following) (?:meg|mae|oss|me|us)\b|"
        r"\b(?:kommer|kjem|coming) (?:for a|og|to) (?:ta|hente|drepe|get|kill) "
        r"(?:meg|mae|oss|me|us)\b",
        subject="other_adult",
        tail=r" (?:pa|on) (?:facebook|instagram|insta|snap\w*|tiktok|nett\w*|sosiale medier)\b",
        vetoes=("past_over",),
    ),
    # Short cries for help: "hjelp han slår", "han er her nå og jeg er redd", "vold nå".
    _rule(
        "akutt.hjelp",
        r"\bhjelp\b(?: \w+){0,2} (?:han|hun|ho|hu|eksen|faren|mannen|noen|nokon|de|dei) "
        r"(?:er her|e her|slar|sla|truer|trugar|kommer|kjem|har kniv|bryter|sparker|dreper|"
        r"drepe|drep)\b|"
        r"\b(?:han|hun|ho|hu|eksen|faren|mannen|kjaeresten|samboeren|typen) (?:er|e) "
        r"(?:her|utenfor|utafor) (?:na|no|igjen)\b(?=.*\b(?:redd|hjelp|tor ikke|tor ikkje|"
        r"tor itj|livredd|truer|full|ruset)\b)|"
        r"^(?:\w+ )?(?:vold|overgrep|violence)(?: (?:na|no|akkurat na|her))+(?: \.)*$",
    ),
    _rule(
        "akutt.klarer_ikke_la_vaere",
        rf"\b(?:klarer|klare|greier|greie|klarar|greiar|kan) {NOT} (?:a |og )?(?:la vaere|"
        r"la vere|la vera|la vaer|styre meg|holde meg|halde meg)(?: a| og| fra a| fra| fra og)? "
        rf"(?:sla|skade|skada|riste)\b|"
        r"\b(?:cant|cannot|can not) stop (?:myself from )?(?:hitting|hurting|shaking)\b|"
        r"\b(?:har )?(?:lyst til|lyst a|lyst te|fristet til a|fresta til a|trang til a|"
        r"want to|feel like) (?:a |og )?(?:sla|skade|riste|kvele|drepe|hit|hurt|shake) "
        rf"(?:{CHILD}|den lille|my (?:child|son|daughter|baby|kid))\b",
        subject="self",
    ),
    _rule(
        "akutt.slo_barnet",
        rf"\b(?:{FIRST})(?: {FILL}){{0,2}} (?:slar|slo|har slatt|sparker|sparket|sparka|"
        rf"rister|ristet|rista|har ristet|har rista|kvalte|hit|shook) (?:{FILL} )?"
        rf"{CHILD}\b|\b(?:slo|slar|rista|ristet|sparket|sparka) (?:{FIRST}) {CHILD}\b|"
        rf"\b(?:og|sa|men) (?:slo|rista|ristet|sparket|sparka|kvalte) {CHILD}\b|"
        r"\b(?:ristet|rista|rister|shook|shaking) (?:babyen|baby|the baby|my baby)\b",
        vetoes=("past_over", "claims", "legal_case"),
    ),
    _rule(
        "akutt.bortforing",
        r"\b(?:kidnappet|kidnappa|kidnapper|kidnappe|bortfort|bortforte|bortforer|borfort|"
        r"kidnapped|abducted|abducting)\b",
        subject="abductor",
        tail=r" (?:av|by) (?:barnevern\w*|bv|bvtj|kommun\w*|staten|systemet|nemnd\w*)\b",
        vetoes=("info", "hypothetical", "past_over", "legal_abduction"),
    ),
    _rule(
        "akutt.tatt_med_barnet",
        rf"\b(?:har|hadde|has|have|tok|tek|took)(?: {FILL})? "
        r"(?:(?:tatt|teke|teki) med (?:seg|sae|sei)|tatt med|med (?:seg|sae|sei)|romt med|"
        r"stukket av med|stukke av med|"
        r"forsvunnet med|forsvunne med|"
        r"reist (?:\w+ ){0,3}med|dratt (?:\w+ ){0,2}med|flykta med|flyktet med|"
        rf"taken|took off with|run off with|ran off with) {CHILD}\b",
        subject="abductor",
        tail=_TAIL_LEISURE,
        vetoes=("past_over", "hypothetical"),
    ),
    _rule(
        "akutt.tok_barnet_og_dro",
        rf"\b(?:har|hadde|tok|took)(?: {FILL})? (?:tatt|teke|tok|henta|hentet|snappet|rappet|"
        rf"taken)? ?{CHILD}(?: {POSS})? og (?:har )?(?:kjort|kjorte|kjoyrt|dratt|dro|stukket|"
        r"stakk|forsvunnet|forsvant|romt|romte|reist|reiste|flykta|flyktet|stukke|left|ran|"
        r"disappeared)\b",
        subject="abductor",
        tail=_TAIL_LEISURE,
        vetoes=("past_over", "hypothetical"),
    ),
    _rule(
        "akutt.noen_tok_barnet",
        r"\b(?:noen|nokon|en fremmed|ein framand|ukjente|someone|somebody)(?: \w+){0,2} "
        r"(?:har |hadde |has )?(?:tatt|teke|teki|tok|henta|hentet|taken|took|kidnapped)"
        rf"(?: med)?(?: seg)? (?:{CHILD}|my (?:child|son|daughter|baby|kids))\b",
        tail=_TAIL_LEISURE,
        vetoes=("past_over", "hypothetical"),
    ),
    # "Faren nekter å levere tilbake ungen etter samvær": a child kept from where it lives.
    _rule(
        "akutt.leverer_ikke_tilbake",
        rf"\b(?:nekter|nektar|nekta|nektet|vil {NOT}|har {NOT}|refuses to|wont|will not|"
        r"has not|hasnt) (?:a |og )?(?:levere|levera|leverer|levert|gi|gje|sende|bringe|"
        rf"kjore|return|returned|give back|bring back) (?:tilbake )?{CHILD}(?: {POSS})? "
        r"(?:tilbake|back|etter samvaer\w*)\b",
        subject="abductor",
        vetoes=("past_over", "hypothetical", "claims"),
    ),
    # Fetched the child without the right to: "hentet ungen på skolen uten lov".
    _rule(
        "akutt.hentet_uten_lov",
        r"\b(?:hentet|henta|hentar|henter|tatt|tok|tek|snappet|snappa|took|picked up|taken)"
        rf"(?: med)?(?: seg)? {CHILD}(?: {POSS})?(?: \w+){{0,4}} (?:uten|utan|without) "
        r"(?:lov|loyve|tillatelse|samtykke|a sporre|a si fra|a seie fra|a gi beskjed|"
        r"permission|asking|telling anyone)\b",
        subject="abductor",
        vetoes=("past_over", "hypothetical", "legal_abduction"),
    ),
    _rule(
        "akutt.ut_av_landet",
        r"\b(?:tatt|tok|tar|ta|reist|reiste|reiser|dratt|dro|sendt|sendte|flytta|flyttet|"
        rf"taken|took|takes)(?: med(?: seg| sae)?)? {CHILD}(?: \w+){{0,8}} (?:ut av landet|"
        r"til utlandet|ut av norge|over grensen|out of the country)\b",
        subject="abductor",
        vetoes=("past_over", "hypothetical", "legal_abduction"),
    ),
    # "fosterfar er voldelig mot jenta mi", "han er voldelig og sint akkurat nå".
    _rule(
        "akutt.voldelig",
        r"\b(?:er|e|blir|blitt|vorte|is|gets|getting)(?: {FILL})? (?:voldelig|valdeleg|"
        rf"violent)(?: (?:mot|med|overfor|against|towards|with) {OBJ}\b|"
        r"(?: \w+){0,6} (?:akkurat na|na|naa|i kveld|i natt|right now)\b)",
        vetoes=("past_over", "claims", "hypothetical", "info"),
    ),
    # "samboeren er full og slår i veggene", "typen er dritings og knuser ting".
    _rule(
        "akutt.raser_i_rus",
        rf"\b{DRUNK}(?: \w+){{0,3}} (?:og|and) (?:slar (?:i|pa)|sparker (?:i|pa)|banker (?:i|pa)|"
        r"hamrer (?:i|pa)|knuser|kaster|smadrer|raserer|herjer|raser|smashing|throwing|"
        r"punching|breaking)\b",
        vetoes=("past_over", "claims", "hypothetical", "habit"),
    ),
    _rule(
        "akutt.engelsk",
        r"\b(?:he|she|they|someone|my ex|my husband|my boyfriend|my partner|hes|shes|theyre)"
        r"(?: is| are| s)? (?:hitting|beating|attacking|choking|hurting|threatening) "
        r"(?:me|us|my \w+|the kids|the baby|a child|a kid|a baby|the child|children|kids)\b|"
        r"\bthreaten\w* to (?:kill|hurt|stab|shoot)\b|"
        r"\b(?:going to|gonna) kill (?:me|us|my \w+)\b|"
        r"\b(?:my )?(?:child|son|daughter|kid|kids|baby|children) (?:is|are) in danger\b|"
        r"\b(?:someone|somebody|a stranger) (?:has )?(?:took|taken|kidnapped|abducted) my "
        r"(?:son|daughter|child|kids|children|baby)\b|"
        r"\b(?:took|taken|has|kidnapped|abducted) (?:my|our|the) (?:son|daughter|child|kids|"
        r"children|baby)"
        r"(?: \w+){0,3} (?:out of the country|abroad|and left|and disappeared|and ran)\b|"
        r"\b(?:afraid|scared) (?:that )?(?:i ll|ill|i will|i might|i could) (?:hurt|harm|"
        r"hit|shake|kill) (?:my|the) (?:child|son|daughter|baby|kid|kids)\b",
        vetoes=("past_over",),
    ),
)

_RULES: Final[tuple[_Rule, ...]] = _SELVMORD_RULES + _AKUTT_RULES
_COMPILED_VETOES: Final[dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]]] = {
    name: (re.compile(pattern), re.compile(unless) if unless else None)
    for name, (pattern, unless) in _VETOES.items()
}

# ---------------------------------------------------------------------------- matching

_WINDOW: Final = 8
# "faren til ungen slår meg": a noun after "til"/"hos" is a possessor, not the subject.
_POSSESSOR_MARKERS: Final = frozenset(("til", "ti", "te", "hos"))
_SPEECH_VERBS: Final = frozenset(
    _words("sier seier sa sagt skriver skriv skreiv skrev forteller fortel says said tells")
)


def _subject_before(norm: str, start: int) -> tuple[str | None, bool]:
    """The category of the nearest subject-like word before `start` in the same clause,
    and whether a first-person pronoun occurs anywhere in that window."""
    window: list[str] = []
    for token in reversed(norm[:start].split()):
        if token == "." or len(window) == _WINDOW:
            break
        window.append(token)
    nearest: str | None = None
    for i, token in enumerate(window):
        if token == "som" and i + 1 < len(window):
            # A relative clause is about its antecedent: "en venninne som har ...".
            before = window[i + 1]
            nearest = "first" if before in _FIRST_WORDS else _CATEGORY.get(before, "people")
            break
        category = _CATEGORY.get(token)
        if category is None:
            continue
        follows_marker = i + 1 < len(window) and window[i + 1] in _POSSESSOR_MARKERS
        if follows_marker and category != "first":
            continue
        nearest = category
        break
    # "hva gjør jeg hvis barnet sier det vil dø": a first person before a speech verb is
    # the one reporting, not the one speaking.
    reporting = window
    for i, token in enumerate(window):
        if token in _SPEECH_VERBS:
            reporting = window[:i]
            break
    return nearest, any(token in _FIRST_WORDS for token in reporting)


def _subject_ok(rule: _Rule, norm: str, match: re.Match[str]) -> bool:
    if rule.subject == "any":
        return True
    nearest, has_first = _subject_before(norm, match.start())
    # V2 order puts the subject inside the match: "det orker jeg ikke mer".
    in_match = any(token in _FIRST_WORDS for token in match.group().split())
    if rule.subject == "self":
        # "jeg hater han og vil dø": an object pronoun may sit nearer than the subject,
        # so a first-person pronoun anywhere in the clause keeps it the user's own.
        return nearest in (None, "first") or has_first or in_match
    if rule.subject == "self_strict":
        return nearest in (None, "first") or in_match
    if rule.subject == "other":
        return nearest not in ("first", "institution", "it")
    if rule.subject == "other_adult":
        return nearest not in ("first", "institution", "child", "it")
    # Parents with a care order say "de tok ungen" about the service, and foster parents
    # have the child lawfully: neither is an abduction.
    return nearest not in ("first", "institution", "child", "they", "foster", "it")


def _vetoed(rule: _Rule, norm: str) -> bool:
    for name in rule.vetoes:
        pattern, unless = _COMPILED_VETOES[name]
        if pattern.search(norm) and not (unless and unless.search(norm)):
            return True
    return False


# A yes/no question that opens with a modal or "har/er" and speaks of rights or the law
# ("Kan eksen ta barna ut av landet uten samtykke?", "Har fosterfar lov til å slå henne?")
# asks what is allowed: the law, not an event. Without the legal words a question may be a
# plea ("Må jeg finne meg i at han slår meg?"), and requests for help ("kan du ...",
# "kan noen ...") are never such questions.
_QUESTION_START: Final = re.compile(
    r"(?:kan|kann|far|ma|bor|burde|kunne|har|er|e|can|could|may|should|is|are|does|do)"
    rf"(?! (?:du|dere|dokker|dykk|noen|nokon|you|someone|somebody|anyone|{NOT}|not)\b) "
)
_LEGAL_WORDS: Final = re.compile(
    r"\b(?:lov|lovlig|ulovlig|loven|lova|rett|retten|rettigheter|samtykke|tillatelse|loyve|"
    r"straff|straffbart|regler|reglene|reglane|allowed|legal|illegal|law|permission|consent)\b"
)
# ... unless the message also says it is happening or asks for help.
_URGENT: Final = re.compile(
    r"\b(?:akkurat na|i kveld|i natt|inatt|hjelp|redd|livredd|tor ikke|tor ikkje|tor itj|"
    r"help|scared|afraid|right now)\b"
)


@dataclass(frozen=True)
class _Text:
    norm: str
    # For each clause of `norm` (split at its " . " tokens): did it end with "?".
    questions: tuple[bool, ...]


def _prepare(text: str) -> _Text:
    norm = normalise(text)
    folded = _APOSTROPHES.sub("", text.lower().translate(_FOLD))
    # normalise turns each run of clause punctuation into exactly one " . " token, so the
    # k-th run here ends the k-th clause there.
    ends = tuple("?" in m.group() for m in _CLAUSE_END.finditer(folded))
    return _Text(norm, ends)


def _in_legal_question(text: _Text, start: int) -> bool:
    index = text.norm.count(".", 0, start)
    if index >= len(text.questions) or not text.questions[index]:
        return False
    cut = text.norm.rfind(".", 0, start)
    clause_start = cut + 2 if cut >= 0 else 0
    clause_end = text.norm.find(".", start)
    clause = text.norm[clause_start : clause_end if clause_end >= 0 else len(text.norm)]
    return bool(_QUESTION_START.match(clause) and _LEGAL_WORDS.search(clause))


def _fires(rule: _Rule, text: _Text) -> bool:
    norm = text.norm
    for match in rule.pattern.finditer(norm):
        if rule.tail is not None and rule.tail.match(norm, match.end()):
            continue
        if not _subject_ok(rule, norm, match):
            continue
        if (
            rule.topic == AKUTT_FARE
            and _in_legal_question(text, match.start())
            and not _URGENT.search(norm)
        ):
            continue
        return True
    return False


def detect(text: str) -> CrisisMatch | None:
    """The crisis in `text`, or None. The user's own suicidality wins over acute danger."""
    prepared = _prepare(text)
    if not prepared.norm:
        return None
    for rule in _RULES:
        if _fires(rule, prepared) and not _vetoed(rule, prepared.norm):
            return CrisisMatch(rule.topic, rule.id)
    return None
