package entity

import "strings"

// titles are words and phrases that stand before a name as a title or
// office ("Russian President Vladimir Putin", "Gen. Keith Kellogg"). They
// are matched case-insensitively, longest first, at the start of a
// capitalised span.
var titles = phraseSet(`
President; Vice President; Prime Minister; Deputy Prime Minister; First Minister; Foreign Minister;
Foreign Secretary; Home Secretary; Defence Secretary; Defense Secretary; Secretary of State;
Secretary-General; Secretary General; Secretary; Minister; Chancellor; Premier; Ambassador;
Special Representative; Special Envoy; Envoy; Spokesman; Spokeswoman; Spokesperson; Press Secretary;
Senator; Sen.; Representative; Rep.; Congressman; Congresswoman; Governor; Gov.; Mayor; Speaker;
General; Gen.; Lt. Gen.; Maj. Gen.; Brig. Gen.; Admiral; Adm.; Colonel; Col.; Commander; Captain; Capt.;
Lieutenant; Lt.; Sergeant; Sgt.; Marshal; Field Marshal; King; Queen; Prince; Princess; Pope; Cardinal;
Archbishop; Bishop; Patriarch; Rabbi; Imam; Sheikh; Emir; Crown Prince; Sultan; Judge; Justice;
Chief Justice; Attorney General; Prosecutor; Chairman; Chairwoman; Chair; Chief Executive; CEO; Director;
Commissioner; High Representative; Chief of Staff; Leader; Opposition Leader; Head; Mr.; Mrs.; Ms.; Miss;
Dr.; Prof.; Professor; Sir; Dame; Lord; Lady; Rev.; Father; Sister; Councillor; Councilor; Officer;
Deputy; Acting President; President-elect; Vice-President; Ombudsman; Auditor; Editor; Chief Editor;
Президент; Премьер-министр; Премьер; Министр; Канцлер; Посол; Генерал; Глава; Прем'єр-міністр;
Міністр; Посол; Prezydent; Premier; Minister; Kanclerz; Ambasador; Generał; Prezident; Premiér;
Ministr; Kancléř; Velvyslanec; Predsednik; Premier; Minister; Kancler; Председател; Премиер; Министър
`)

// roleModifiers are lower-case words that extend a title to the left:
// "former U.S. President", "deputy U.N. Ambassador", "retired Gen.".
var roleModifiers = wordSet(`former retired deputy acting interim late then outgoing incoming assistant senior
junior chief vice top elected newly then-president ex`)

// orgWords end (or make up) the names of organisations.
var orgWords = wordSet(`ministry department council committee commission parliament assembly party union
bank agency authority office service services corporation corp corp. inc inc. ltd ltd. llc group association
organization organisation federation institute institution university college school academy court
tribunal army navy forces force guard police fund foundation trust company news times post journal
herald gazette telegraph tribune press radio tv television network channel agency forum alliance
coalition front movement league bureau board administration government cabinet senate congress duma
rada sejm bundestag club team fc airlines airways railways media holdings industries systems
technologies motors energy oil gas petroleum reserve exchange courier wire chronicle observer guardian mirror
express daily weekly review monitor today gazette`)

// placeWords end the names of places and structures: "Harbour Bridge",
// "Ring Road", "Gulf of Mexico".
var placeWords = wordSet(`bridge road street avenue square river lake island islands bay park station airport
harbour harbor valley sea ocean canal district county province region city town village mountains mountain
gulf strait peninsula coast desert plain plains forest hills tunnel dam port`)

// placeHeads start the names of places: "Port Almera", "Lake Geneva".
var placeHeads = wordSet(`port mount lake cape fort saint st san santa new north south east west upper lower`)

// locationCues are words before a capitalised word that make it a place.
var locationCues = wordSet(`in at near from to across throughout outside inside toward towards into via`)

// personCues are verbs after a name that make it a speaker, hence a person
// when the span has two or three words.
var personCues = wordSet(`said says told added stressed noted warned wrote tweeted explained argued insisted
claimed stated emphasised emphasized announced asked replied urged called believes thinks has had is was`)

// sentenceStarters are capitalised only because they start a sentence.
var sentenceStarters = wordSet(`the a an in on at but and or so he she it they we i you this that these those his
her its their our my your meanwhile however additionally previously last next even if when while after before
speaking according as for from with without some many such despite aligning also still yet then there here
what who whom whose which where why how all any each every both no not one two three several most more other
another only just now today yesterday tomorrow since until because although though unless whether once during
under over between among against by of to into about above below up down out off again further than too very
can will would should could may might must shall do does did is are was were be been being have has had let
mr mrs ms dr sources source officials official experts analysts critics supporters according
według zdaniem podle podľa po według jak jednak także także wśród przed przez pod nad dla oraz który która które
gdy kiedy jeśli jeżeli ale ten ta to te tym tego jego jej ich się że iż już jeszcze również według pomimo mimo
však ale také podle když kdyby pokud jak jako který která které proto protože tak ten ta to toto tento
po v na za pri ob ko kot ker da tudi vendar pa še že kljub glede med pred
по в на за как по словам согласно однако также когда если но и а это этот эта эти при после перед для
за на в як але також коли якщо це цей ця ці після перед для
по в на за като но и а това този тази тези при след преди за според когато ако също обаче`)

// givenNames are frequent first names in the news, a strong sign that a
// capitalised span names a person.
var givenNames = wordSet(`donald joe joseph vladimir volodymyr emmanuel keir boris theresa david angela olaf
friedrich xi jinping narendra recep tayyip benjamin kamala hillary barack george bill mike mark john james robert
michael william richard thomas charles christopher daniel matthew anthony andrew steven paul kevin brian ronald
jean pierre marie nicolas francois françois ursula charles antonio giorgia mario sergio pedro viktor andrzej
mateusz donald jaroslaw jarosław petr andrej robert janez igor sergei sergey dmitry dmitri alexei alexey aleksandr
alexander oleksandr olena yulia yuliya petro andriy andrii denys dmytro mykhailo rishi liz jeremy nigel keith
patrick matthew elon elena luis anna tomas maria dustin lara jeff tim sundar satya nancy chuck mitch ron marco ted lindsey jake antony lloyd jens mark
kaja josep annalena lars sanna mette jonas gitanas edgars alar jüri maia zoran aleksandar milorad milo edi
ali mohammed muhammad ahmed hassan hossein ebrahim abdel abdullah salman kim moon yoon shinzo fumio lula jair
javier gustavo nicolás justin jacinda scott anthony melania ivanka jared hunter jill ivana eric tiffany barron
oprah michelle greta tony gordon margaret harold winston ronald jimmy gerald lyndon franklin abraham dwight
lena maria anna elena olga natalia tatiana irina svetlana ekaterina katarzyna agnieszka magdalena ewa jan piotr
krzysztof tomasz pawel paweł marek michal michał lukasz łukasz jakub wojciech milos miloš vladimír václav jiří
tomáš martin lukáš ondřej zuzana marjan borut janša alenka
mishel michel jacob guy oliver gina robin philip dominic jean-claude frans heiko sigmar
leo enda arlene nicola amber sajid priti gavin liam`)

// givenFolds are the keys (Folds) of givenNames, so that inflected and
// transliterated first names count too: "Michela", "Davida", "Дэвид".
var givenFolds = func() map[string]bool {
	m := map[string]bool{}
	for w := range givenNames {
		for _, f := range folds(w) {
			m[f] = true
		}
	}
	return m
}()

// givenSkels are the skeletons (of three letters or more) of givenNames,
// for first names written in Cyrillic: Дейвид is David, Тереза Theresa.
var givenSkels = func() map[string]bool {
	m := map[string]bool{}
	for w := range givenNames {
		for _, sk := range skeletons(w) {
			if len(sk) >= 3 {
				m[sk] = true
			}
		}
	}
	return m
}()

// isGivenName tells whether a word is a known first name, in any case form
// or script.
func isGivenName(w string) bool { return factsOf(w).isGivenName() }

func givenName(w string) bool {
	if givenNames[strings.ToLower(w)] {
		return true
	}
	for _, f := range folds(w) {
		if givenFolds[f] {
			return true
		}
	}
	if IsCyrillic(w) {
		for _, sk := range skeletons(w) {
			if len(sk) >= 3 && givenSkels[sk] {
				return true
			}
		}
	}
	return false
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}

// phraseSet holds ";"-separated phrases, lower-cased, by their number of words.
type phrases struct {
	set     map[string]bool
	firsts  map[string]bool // the first word of each phrase
	longest int
}

func phraseSet(s string) phrases {
	p := phrases{set: map[string]bool{}, firsts: map[string]bool{}}
	for _, ph := range strings.Split(s, ";") {
		ph = strings.ToLower(strings.Join(strings.Fields(strings.ReplaceAll(ph, ".", "")), " "))
		if ph == "" {
			continue
		}
		p.set[ph] = true
		p.firsts[strings.Fields(ph)[0]] = true
		if n := len(strings.Fields(ph)); n > p.longest {
			p.longest = n
		}
	}
	return p
}

// prefix returns how many of the words, from the start, form the longest
// phrase of the set (0 if none).
func (p phrases) prefix(words []string) int {
	if len(words) == 0 {
		return 0
	}
	// the keys are built in buffers on the stack: map lookups by
	// string(key) copy nothing
	var keyBuf, scratch [128]byte
	// a phrase starts with its first word: most words start none
	if w := words[0]; !strings.ContainsRune(w, ' ') {
		if f := phraseKey(keyBuf[:0], scratch[:0], words[:1]); len(f) > 0 && !p.firsts[string(f)] {
			return 0
		}
	}
	for n := min(p.longest, len(words)); n > 0; n-- {
		if p.set[string(phraseKey(keyBuf[:0], scratch[:0], words[:n]))] {
			return n
		}
	}
	return 0
}

// notNames are capitalised words that never name an entity and break a
// capitalised run: the pronoun I, abbreviations of common nouns.
var notNames = wordSet(`i i'm i've i'd i'll gdp cfo tv ok utc gmt vat faq pdf`)

// calendarWords name an entity only inside a longer name ("Theresa May"),
// never alone.
var calendarWords = wordSet(`january february march april may june july august september october november
december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday
sunday`)

// nationalities are adjectives of region or bloc, which name no entity
// alone: "European", "Western".
var nationalities = wordSet(`european western eastern northern southern african asian arab latin nordic baltic
balkan slavic transatlantic atlantic soviet allied`)
