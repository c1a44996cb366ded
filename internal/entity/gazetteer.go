package entity

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/storyline-news/storyline"
)

// Entity types, as the report names them.
const (
	Person       = storyline.Person
	Organization = storyline.Organization
	Location     = storyline.Location
)

// GazEntry is one known place or organisation with every name it goes by.
type GazEntry struct {
	ID    string // stable key, such as "country:UA" or "org:EU"
	Type  string
	Name  string // canonical English name
	Names []string
}

// The gazetteer is built from two sources we may redistribute: country names
// in many languages from the Unicode CLDR data shipped in golang.org/x/text
// (BSD-3-Clause), and the aliases, capitals, demonyms and international
// organisations below, written for storyline.

// countryCodes are the ISO 3166-1 alpha-2 codes of countries and territories.
const countryCodes = `AD AE AF AG AI AL AM AO AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS BT BW BY BZ
CA CD CF CG CH CI CK CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GH GI
GL GM GN GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK
LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MO MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL
PR PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ
UA UG US UY UZ VA VC VE VN VU WS XK YE ZA ZM ZW`

// cldrLanguages are the languages whose country names are taken from CLDR:
// the languages of European news, Latin and Cyrillic.
var cldrLanguages = []string{"en", "ru", "uk", "be", "bg", "mk", "sr", "pl", "cs", "sk", "sl", "hr", "bs", "de", "fr", "es", "it", "pt", "nl", "ro", "hu"}

// countryAliases are other names of countries, in English and in the
// languages of the corpora we read.
var countryAliases = map[string][]string{
	"US": {"U.S.", "US", "USA", "U.S.A.", "America", "United States of America", "the States", "США", "САЩ", "ЗДА", "SAD", "ZDA", "USA", "Stany", "Amerika", "Ameryka", "Америка", "Америки", "Spojené státy americké", "Соединённые Штаты", "Соединенные Штаты Америки", "Сполучені Штати Америки", "Съединените щати"},
	"GB": {"UK", "U.K.", "Britain", "Great Britain", "Velká Británie", "Velika Britanija", "Veľká Británia", "Великобритания", "Великобританія", "Великобритания", "Британия", "Британія", "Обединеното кралство", "Zjednoczone Królestwo", "Wielka Brytania", "Združeno kraljestvo", "Britanija", "Británie"},
	"RU": {"Russian Federation", "Росія", "Россия", "Русия", "Rosja", "Rusko", "Rusija", "РФ", "Российская Федерация"},
	"UA": {"Ukraina", "Ukrajina", "Україна", "Украина", "Украйна"},
	"CN": {"PRC", "People's Republic of China", "KNR", "ЧНР", "КНР", "Čína", "Kitajska", "Chiny", "Китай"},
	"KR": {"South Korea", "Republic of Korea"},
	"KP": {"North Korea", "DPRK"},
	"CZ": {"Czechia", "Czech Republic", "Česko", "Česká republika", "Чехия", "Чехія"},
	"NL": {"Holland", "the Netherlands"},
	"AE": {"UAE", "U.A.E.", "Emirates"},
	"CD": {"DR Congo", "DRC"},
	"MK": {"North Macedonia", "Macedonia"},
	"VA": {"Vatican", "Holy See"},
	"CI": {"Ivory Coast"},
	"MM": {"Burma"},
	"TR": {"Türkiye"},
	"DE": {"Deutschland", "Niemcy", "Německo", "Nemčija", "Германия", "Німеччина", "Германия"},
	"PS": {"Palestine", "Palestinian territories"},
	"SY": {"Syria"},
	"IR": {"Iran"},
	"MD": {"Moldova"},
}

// inhabitants are the nouns for a country's people in the Slavic languages
// of the corpora we read, which name the country as an actor ("Brytyjczycy
// chcą …", "the British want …") and are counted as its mentions, as the
// BSNLP guidelines do. Irregular case forms of country names are here too.
// English nouns such as "Ukrainians" are not: notAName drops them.
var inhabitants = map[string][]string{
	"GB": {"Brytyjczycy", "Brytyjczyk", "Britové", "Brit", "Britanci", "Britanec", "Британцы", "Британці", "Британци"},
	"PL": {"Polacy", "Polak", "Poláci", "Polák", "Poljaki", "Poljak", "Поляки", "Поляци", "Polsce"},
	"DE": {"Niemiec", "Niemczech", "Němci", "Němec", "Nemci", "Nemec", "Немцы", "Німці", "Германци"},
	"RU": {"Rosjanie", "Rosjanin", "Rusové", "Rus", "Rusi", "Россияне", "Росіяни", "Руснаци"},
	"US": {"Amerykanie", "Amerykanin", "Američané", "Američan", "Američani", "Американцы", "Американці", "Американци"},
	"UA": {"Ukraińcy", "Ukrainiec", "Ukrajinci", "Ukrajinec", "Украинцы", "Українці", "Украинци"},
	"FR": {"Francuzi", "Francuz", "Francouzi", "Francouz", "Francozi", "Французы", "Французи"},
	"CN": {"Chińczycy", "Číňané", "Kitajci", "Китайцы", "Китайці", "Китайци"},
	"IE": {"Irlandczycy", "Irlandczyk", "Irové", "Irci", "Irec", "Ирландцы", "Ірландці", "Ирландци"},
	"PK": {"Pakistańczycy", "Pakistańczyk", "Pákistánci", "Pákistánec", "Pakistanci", "Pakistanec", "Пакистанцы", "Пакистанці", "Пакистанци"},
	"IT": {"Włosi", "Italové", "Ital", "Italijani", "Итальянцы", "Італійці", "Италианци"},
	"ES": {"Hiszpanie", "Hiszpan", "Španělé", "Španěl", "Španci", "Испанцы", "Іспанці", "Испанци"},
	"CZ": {"Czesi", "Češi", "Čehi", "Чехи"},
	"SK": {"Słowacy", "Słowak", "Slováci", "Slovák", "Slovaki", "Словаки"},
	"NL": {"Holendrzy", "Holender", "Nizozemci", "Голландцы", "Нідерландці", "Холандци"},
	"TR": {"Turcy", "Turci", "Турки", "Турци"},
	"JP": {"Japończycy", "Japonci", "Японцы", "Японці", "Японци"},
	"HU": {"Węgrzy", "Maďaři", "Madžari", "Венгры", "Угорці", "Унгарци"},
	"GR": {"Grecy", "Řekové", "Grki", "Греки", "Гърци"},
	"IL": {"Izraelczycy", "Izraelci", "Израильтяне", "Ізраїльтяни", "Израелци"},
	"BY": {"Białorusini", "Bělorusové", "Белорусы", "Білоруси", "Беларуси"},
}

// regionInhabitants are the same for regions.
var regionInhabitants = map[string][]string{
	"Europe": {"Europejczycy", "Europejczyk", "Evropané", "Evropan", "Evropejci", "Evropejec", "Европейцы", "Європейці", "Европейци"},
}

// demonyms map adjectives of nationality to countries, for roles such as
// "Russian President" and role nouns such as "the Ukrainian leader".
var demonyms = map[string]string{
	"American": "US", "U.S.": "US", "US": "US", "British": "GB", "UK": "GB", "U.K.": "GB", "English": "GB",
	"Russian": "RU", "Ukrainian": "UA", "Ukraine's": "UA", "Russia's": "RU", "French": "FR", "German": "DE",
	"Chinese": "CN", "Polish": "PL", "Czech": "CZ", "Slovak": "SK", "Slovenian": "SI", "Slovene": "SI",
	"Croatian": "HR", "Serbian": "RS", "Bulgarian": "BG", "Romanian": "RO", "Hungarian": "HU", "Italian": "IT",
	"Spanish": "ES", "Portuguese": "PT", "Dutch": "NL", "Belgian": "BE", "Swiss": "CH", "Austrian": "AT",
	"Swedish": "SE", "Norwegian": "NO", "Danish": "DK", "Finnish": "FI", "Estonian": "EE", "Latvian": "LV",
	"Lithuanian": "LT", "Belarusian": "BY", "Moldovan": "MD", "Georgian": "GE", "Armenian": "AM",
	"Azerbaijani": "AZ", "Turkish": "TR", "Greek": "GR", "Israeli": "IL", "Palestinian": "PS", "Iranian": "IR",
	"Iraqi": "IQ", "Syrian": "SY", "Saudi": "SA", "Egyptian": "EG", "Indian": "IN", "Pakistani": "PK",
	"Japanese": "JP", "Korean": "KR", "South Korean": "KR", "North Korean": "KP", "Canadian": "CA",
	"Mexican": "MX", "Brazilian": "BR", "Argentine": "AR", "Australian": "AU", "Irish": "IE", "Scottish": "GB",
	"Welsh": "GB", "Kazakh": "KZ", "Afghan": "AF", "Nigerian": "NG", "South African": "ZA", "Venezuelan": "VE",
	"Cuban": "CU", "Qatari": "QA", "Emirati": "AE", "Lebanese": "LB", "Jordanian": "JO", "Libyan": "LY",
	"Ethiopian": "ET", "Kenyan": "KE", "Indonesian": "ID", "Vietnamese": "VN", "Thai": "TH", "Filipino": "PH",
	"Taiwanese": "TW", "Icelandic": "IS", "Maltese": "MT", "Cypriot": "CY", "Luxembourgish": "LU",
	"Montenegrin": "ME", "Bosnian": "BA", "Albanian": "AL", "Kosovar": "XK", "Macedonian": "MK",
}

// capitals are capital cities (and their other spellings) with their
// country, which also stand for the government ("Kyiv wants …").
var capitals = map[string][]string{
	"Kyiv": {"Kiev", "Київ", "Киев", "Kijów", "Kyjev", "Kijev", "Kijiv", "Киев"}, "Moscow": {"Москва", "Moskwa", "Moskva"},
	"Washington": {"Washington, D.C.", "Washington DC", "Вашингтон", "Waszyngton"}, "London": {"Лондон", "Londyn", "Londýn", "Londres"},
	"Paris": {"Париж", "Paryż", "Paříž", "Pariz"}, "Berlin": {"Берлин", "Берлін"}, "Brussels": {"Bruxelles", "Brussel", "Брюссель", "Брюксел", "Bruksela", "Brusel", "Bruselj"},
	"Warsaw": {"Warszawa", "Варшава", "Varšava", "Varšava"}, "Prague": {"Praha", "Прага", "Praga"}, "Vienna": {"Wien", "Вена", "Wiedeń", "Vídeň", "Dunaj"},
	"Rome": {"Roma", "Рим", "Řím", "Rzym", "Rim"}, "Madrid": {"Мадрид"}, "Lisbon": {"Lisboa"}, "Beijing": {"Peking", "Пекин", "Pekin"},
	"Tokyo": {"Токио"}, "Seoul": {}, "Pyongyang": {}, "New Delhi": {"Delhi"}, "Islamabad": {}, "Tehran": {"Teheran"}, "Baghdad": {},
	"Damascus": {}, "Ankara": {"Анкара"}, "Athens": {}, "Budapest": {"Будапешт", "Budapeszt", "Budapešť", "Budimpešta"},
	"Bratislava": {"Братислава"}, "Ljubljana": {"Любляна", "Lublana"}, "Zagreb": {"Загреб"}, "Belgrade": {"Beograd", "Белград", "Belgrad", "Bělehrad"},
	"Sofia": {"София", "Sofija", "Sofie"}, "Bucharest": {"București", "Бухарест"}, "Chisinau": {"Chișinău", "Кишинёв", "Кишинев"},
	"Minsk": {"Минск", "Мінськ", "Mińsk"}, "Vilnius": {"Wilno"}, "Riga": {"Рига", "Ryga"}, "Tallinn": {"Таллин"}, "Helsinki": {"Хельсинки"},
	"Stockholm": {"Стокгольм", "Sztokholm"}, "Oslo": {}, "Copenhagen": {"København", "Копенгаген", "Kopenhaga"}, "Amsterdam": {},
	"The Hague": {"Den Haag", "Hague", "Гаага", "Haga"}, "Bern": {"Berne"}, "Dublin": {}, "Ottawa": {}, "Canberra": {},
	"Jerusalem": {"Иерусалим"}, "Cairo": {}, "Riyadh": {}, "Doha": {}, "Abu Dhabi": {}, "Tbilisi": {"Тбилиси"}, "Yerevan": {"Ереван"},
	"Baku": {"Баку"}, "Astana": {}, "Tashkent": {}, "Kabul": {}, "Taipei": {}, "Hanoi": {}, "Bangkok": {}, "Jakarta": {}, "Manila": {},
	"Mexico City": {}, "Brasília": {"Brasilia"}, "Buenos Aires": {}, "Havana": {}, "Caracas": {}, "Pretoria": {},
	"Nairobi": {}, "Addis Ababa": {}, "Lagos": {}, "Valletta": {}, "Nicosia": {}, "Luxembourg City": {}, "Reykjavik": {"Reykjavík"},
	"Podgorica": {}, "Sarajevo": {"Сараево"}, "Tirana": {}, "Skopje": {"Скопје", "Скопье"}, "Pristina": {"Prishtina"},
}

// regions are continents, regions and places often in the news that are
// neither countries nor capitals.
var regions = map[string][]string{
	"Europe": {"Европа", "Європа", "Europa", "Evropa", "Eвропа"}, "Asia": {"Азия", "Азія", "Azja", "Asie", "Azija"},
	"Africa": {"Африка", "Afryka", "Afrika"}, "North America": {"Северная Америка", "Ameryka Północna"},
	"Latin America": {"Латинская Америка", "Ameryka Łacińska"}, "South America": {"Южная Америка"},
	"Middle East": {"Ближний Восток", "Близький Схід", "Близкия изток", "Bliski Wschód", "Blízký východ", "Bližnji vzhod"},
	"Eurasia":     {"Евразия"}, "Balkans": {"Балканы", "Балкани", "Bałkany", "Balkán", "Balkan"}, "Scandinavia": {"Скандинавия"},
	"Crimea": {"Крым", "Крим", "Krym", "Krim"}, "Donbas": {"Donbass", "Донбасс", "Донбас", "Donbas"},
	"Donetsk": {"Донецк", "Донецьк", "Donieck", "Doněck"}, "Luhansk": {"Lugansk", "Луганск", "Луганськ", "Ługańsk"},
	"Kharkiv": {"Kharkov", "Харьков", "Харків", "Charków"}, "Odesa": {"Odessa", "Одесса", "Одеса", "Odessa"},
	"Mariupol": {"Мариуполь", "Маріуполь"}, "Zaporizhzhia": {"Zaporizhia", "Zaporozhye", "Запорожье", "Запоріжжя"},
	"Kherson": {"Херсон", "Chersoń"}, "Gaza": {"Gaza Strip", "Газа", "Strefa Gazy"}, "West Bank": {"Западный берег"},
	"England": {"Англия", "Англія", "Anglia", "Anglie", "Anglija", "Англия"}, "Scotland": {"Шотландия", "Шотландія", "Szkocja", "Skotsko", "Škotska", "Шотландия"},
	"Wales": {"Уэльс", "Уельс", "Walia", "Wales"}, "Northern Ireland": {"Северная Ирландия", "Північна Ірландія", "Северна Ирландия", "Irlandia Północna", "Severní Irsko", "Severna Irska"},
	"Siberia": {"Сибирь"}, "Caucasus": {"Кавказ", "Kaukaz"}, "Arctic": {"Арктика", "Arktyka"}, "Baltic Sea": {"Балтийское море", "Bałtyk", "Morze Bałtyckie"},
	"Black Sea": {"Черное море", "Чорне море", "Morze Czarne"}, "Davos": {"Давос"}, "Silicon Valley": {},
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// organisations are international organisations and institutions with
// their abbreviations and names in the languages of the corpora we read.
var organisations = []GazEntry{
	{ID: "org:EU", Type: Organization, Name: "European Union", Names: []string{"EU", "E.U.", "European Union", "Unia", "Unie", "Unija", "Евросоюз", "Европейский союз", "ЕС", "Європейський союз", "Євросоюз", "ЄС", "Европейският съюз", "Европейския съюз", "Евросъюз", "Unia Europejska", "UE", "Evropská unie", "Európska únia", "Evropska unija", "Europska unija", "Europäische Union", "Union européenne"}},
	{ID: "org:NATO", Type: Organization, Name: "NATO", Names: []string{"NATO", "North Atlantic Treaty Organization", "the Alliance", "НАТО", "Северноатлантическият алианс", "Североатлантический альянс", "Північноатлантичний альянс", "Sojusz Północnoatlantycki", "Severoatlantická aliance", "OTAN"}},
	{ID: "org:UN", Type: Organization, Name: "United Nations", Names: []string{"UN", "U.N.", "United Nations", "ООН", "ОНН", "ONZ", "OSN", "OZN", "UNO", "ONU", "Организация Объединённых Наций", "Організація Об'єднаних Націй", "Organizacja Narodów Zjednoczonych", "Organizace spojených národů", "Organizacija združenih narodov"}},
	{ID: "org:UNSC", Type: Organization, Name: "UN Security Council", Names: []string{"UN Security Council", "U.N. Security Council", "Security Council", "Совет Безопасности ООН", "Совбез ООН", "Рада безпеки ООН", "Rada Bezpieczeństwa ONZ"}},
	{ID: "org:EC", Type: Organization, Name: "European Commission", Names: []string{"European Commission", "Европейская комиссия", "Еврокомиссия", "Європейська комісія", "Єврокомісія", "Европейската комисия", "Еврокомисията", "Komisja Europejska", "KE", "Evropská komise", "Evropska komisija", "Európska komisia", "Europska komisija"}},
	{ID: "org:EP", Type: Organization, Name: "European Parliament", Names: []string{"European Parliament", "Европарламент", "Европейский парламент", "Європарламент", "Європейський парламент", "Европейския парламент", "Европейският парламент", "Parlament Europejski", "Evropský parlament", "Evropski parlament", "Európsky parlament", "Europski parlament"}},
	{ID: "org:EUCO", Type: Organization, Name: "European Council", Names: []string{"European Council", "Европейский совет", "Європейська рада", "Европейския съвет", "Rada Europejska", "Evropská rada", "Evropski svet", "Európska rada", "Europsko vijeće"}},
	{ID: "org:ECB", Type: Organization, Name: "European Central Bank", Names: []string{"European Central Bank", "ECB", "ЕЦБ", "EBC", "Европейский центральный банк"}},
	{ID: "org:IMF", Type: Organization, Name: "International Monetary Fund", Names: []string{"International Monetary Fund", "IMF", "МВФ", "MFW", "MMF", "Международный валютный фонд"}},
	{ID: "org:WB", Type: Organization, Name: "World Bank", Names: []string{"World Bank", "Всемирный банк", "Світовий банк", "Bank Światowy", "Světová banka", "Svetovna banka"}},
	{ID: "org:WHO", Type: Organization, Name: "World Health Organization", Names: []string{"World Health Organization", "WHO", "ВОЗ", "СЗО", "WHO", "Światowa Organizacja Zdrowia", "Světová zdravotnická organizace", "SZO", "Svetovna zdravstvena organizacija"}},
	{ID: "org:WTO", Type: Organization, Name: "World Trade Organization", Names: []string{"World Trade Organization", "WTO", "ВТО", "СТО"}},
	{ID: "org:OSCE", Type: Organization, Name: "OSCE", Names: []string{"OSCE", "Organization for Security and Co-operation in Europe", "ОБСЕ", "ОБСЄ", "ОССЕ", "OBWE", "OBSE", "OVSE"}},
	{ID: "org:CoE", Type: Organization, Name: "Council of Europe", Names: []string{"Council of Europe", "Совет Европы", "Рада Європи", "Съвет на Европа", "Rada Europy", "Rada Evropy", "Svet Evrope"}},
	{ID: "org:IAEA", Type: Organization, Name: "IAEA", Names: []string{"IAEA", "International Atomic Energy Agency", "МАГАТЭ", "МАГАТЕ"}},
	{ID: "org:G7", Type: Organization, Name: "G7", Names: []string{"G7", "G-7", "Group of Seven", "Большая семёрка", "Большая семерка"}},
	{ID: "org:G20", Type: Organization, Name: "G20", Names: []string{"G20", "G-20", "Group of 20"}},
	{ID: "org:OPEC", Type: Organization, Name: "OPEC", Names: []string{"OPEC", "ОПЕК"}},
	{ID: "org:ICC", Type: Organization, Name: "International Criminal Court", Names: []string{"International Criminal Court", "ICC", "МУС", "Международный уголовный суд"}},
	{ID: "org:UNESCO", Type: Organization, Name: "UNESCO", Names: []string{"UNESCO", "ЮНЕСКО"}},
	{ID: "org:UNICEF", Type: Organization, Name: "UNICEF", Names: []string{"UNICEF", "ЮНИСЕФ"}},
	{ID: "org:ICRC", Type: Organization, Name: "Red Cross", Names: []string{"Red Cross", "International Committee of the Red Cross", "ICRC", "Красный Крест", "Червоний Хрест"}},
	{ID: "org:AU", Type: Organization, Name: "African Union", Names: []string{"African Union"}},
	{ID: "org:ASEAN", Type: Organization, Name: "ASEAN", Names: []string{"ASEAN", "АСЕАН"}},
	{ID: "org:BRICS", Type: Organization, Name: "BRICS", Names: []string{"BRICS", "БРИКС"}},
	{ID: "org:WEF", Type: Organization, Name: "World Economic Forum", Names: []string{"World Economic Forum", "WEF", "Davos Forum", "Всемирный экономический форум", "ВЭФ"}},
	{ID: "org:Kremlin", Type: Organization, Name: "Kremlin", Names: []string{"Kremlin", "the Kremlin", "Кремль", "Кремъл", "Kreml", "Kremelj"}},
	{ID: "org:WhiteHouse", Type: Organization, Name: "White House", Names: []string{"White House", "Белый дом", "Білий дім", "Белият дом", "Biały Dom", "Bílý dům", "Bela hiša"}},
	{ID: "org:Pentagon", Type: Organization, Name: "Pentagon", Names: []string{"Pentagon", "the Pentagon", "Пентагон"}},
	{ID: "org:Reuters", Type: Organization, Name: "Reuters", Names: []string{"Reuters", "Рейтер", "Рейтерс"}},
	{ID: "org:Bloomberg", Type: Organization, Name: "Bloomberg", Names: []string{"Bloomberg", "Блумберг", "Bloomberg News"}},
	{ID: "org:AP", Type: Organization, Name: "Associated Press", Names: []string{"Associated Press", "AP"}},
	{ID: "org:AFP", Type: Organization, Name: "Agence France-Presse", Names: []string{"AFP", "Agence France-Presse", "Франс Пресс"}},
	{ID: "org:BBC", Type: Organization, Name: "BBC", Names: []string{"BBC", "Би-би-си", "Бі-Бі-Сі"}},
	{ID: "org:CNN", Type: Organization, Name: "CNN"},
	{ID: "org:TASS", Type: Organization, Name: "TASS", Names: []string{"TASS", "ТАСС"}},
	{ID: "org:RIA", Type: Organization, Name: "RIA Novosti", Names: []string{"RIA Novosti", "РИА Новости"}},
	{ID: "org:Interfax", Type: Organization, Name: "Interfax", Names: []string{"Interfax", "Интерфакс"}},
	{ID: "org:Ukrinform", Type: Organization, Name: "Ukrinform", Names: []string{"Ukrinform", "Укрінформ", "Укринформ"}},
	{ID: "org:UNN", Type: Organization, Name: "UNN"},
	{ID: "org:TruthSocial", Type: Organization, Name: "Truth Social"},
	{ID: "org:Twitter", Type: Organization, Name: "Twitter", Names: []string{"Twitter", "Твиттер", "Твіттер", "X"}},
	{ID: "org:Facebook", Type: Organization, Name: "Facebook", Names: []string{"Facebook", "Фейсбук"}},
}

// Gazetteer indexes known places and organisations by the folded key of
// each of their names (see Fold); it is built once, on first use.
type Gazetteer struct {
	byKey        map[string]*GazEntry
	bySkel       map[scriptKey]*GazEntry // skeletons of names of four letters or more, across scripts
	byID         map[string]*GazEntry
	demonyms     map[string]string // folded demonym → country entry ID
	demonymWords map[string]string // demonym as written (and in capitals) → country entry ID
	lookups      memo[*GazEntry]   // Lookup's answers: nil for none
	// keyWords are the words of the keys of byKey: a name one of whose
	// words has no key (Folds, for words of four letters or more) among
	// them has no entry (mayHaveEntry)
	keyWords map[string]bool
	// builtin marks the built-in gazetteer, whose Lookup answers are
	// remembered among the facts of the name (nameFacts.gaz) instead
	builtin bool
}

var (
	gazOnce sync.Once
	gaz     *Gazetteer
)

// Default returns the built-in gazetteer.
func Default() *Gazetteer {
	gazOnce.Do(func() { gaz = build() })
	return gaz
}

func build() *Gazetteer {
	g := &Gazetteer{byKey: map[string]*GazEntry{}, bySkel: map[scriptKey]*GazEntry{}, byID: map[string]*GazEntry{}, demonyms: map[string]string{}, demonymWords: map[string]string{}, builtin: true}
	namers := make([]display.Namer, len(cldrLanguages))
	for i, l := range cldrLanguages {
		namers[i] = display.Regions(language.MustParse(l))
	}
	for _, code := range strings.Fields(countryCodes) {
		region := language.MustParseRegion(code)
		e := &GazEntry{ID: "country:" + code, Type: Location, Name: display.Regions(language.English).Name(region)}
		for _, n := range namers {
			e.Names = append(e.Names, n.Name(region))
		}
		e.Names = append(e.Names, countryAliases[code]...)
		e.Names = append(e.Names, inhabitants[code]...)
		g.add(e)
	}
	// names given in English first win their keys: "Georgia" the country.
	for _, name := range sortedKeys(capitals) {
		g.add(&GazEntry{ID: "city:" + name, Type: Location, Name: name, Names: capitals[name]})
	}
	for _, name := range sortedKeys(regions) {
		g.add(&GazEntry{ID: "place:" + name, Type: Location, Name: name, Names: append(regions[name], regionInhabitants[name]...)})
	}
	for i := range organisations {
		e := organisations[i]
		if len(e.Names) == 0 {
			e.Names = []string{e.Name}
		}
		g.add(&e)
	}
	g.keyWords = map[string]bool{}
	for k := range g.byKey {
		for w := range strings.SplitSeq(k, " ") {
			g.keyWords[w] = true
		}
	}
	for d, code := range demonyms {
		g.demonyms[NameKey(d)] = "country:" + code
		g.demonymWords[d] = "country:" + code
		g.demonymWords[strings.ToUpper(d)] = "country:" + code
	}
	return g
}

func (g *Gazetteer) add(e *GazEntry) {
	g.byID[e.ID] = e
	for _, n := range append([]string{e.Name}, e.Names...) {
		for _, k := range nameKeys(n) {
			if _, taken := g.byKey[k]; !taken && k != "" {
				g.byKey[k] = e
			}
		}
		for _, k := range skeletonKeys(n) {
			if sk := (scriptKey{IsCyrillic(n), k}); len(k) >= 5 && g.bySkel[sk] == nil {
				g.bySkel[sk] = e
			}
		}
	}
}

// Lookup finds a known place or organisation by any of its names, in any
// case form the stemmer folds away ("Ukrainy", "Украины").
func (g *Gazetteer) Lookup(name string) (*GazEntry, bool) {
	if !g.builtin {
		e := g.lookups.get(name, g.lookup)
		return e, e != nil
	}
	e := factsOf(name).gazEntry(g)
	return e, e != nil
}

// entryOf is Lookup(f.name) for the facts f of a name.
func (g *Gazetteer) entryOf(f *nameFacts) *GazEntry {
	if !g.builtin {
		return g.lookups.get(f.name, g.lookup)
	}
	return f.gazEntry(g)
}

// noEntry stands for "no entry" among the facts of a name (nameFacts.gaz).
var noEntry = &GazEntry{}

// lookup is Lookup, not remembered; nil when no entry has the name.
func (g *Gazetteer) lookup(name string) *GazEntry {
	return g.lookupKeys(nameKeys(trimThe(name)))
}

// lookupFacts is lookup for the name of f, whose keys are among its facts.
func (g *Gazetteer) lookupFacts(f *nameFacts) *GazEntry {
	if t := trimThe(f.name); t != f.name {
		return g.lookupKeys(nameKeys(t))
	}
	return g.lookupKeys(f.nameKeys())
}

func trimThe(name string) string {
	return strings.TrimPrefix(strings.TrimPrefix(name, "the "), "The ")
}

// lookupKeys returns the entry of the first of keys that has one.
func (g *Gazetteer) lookupKeys(keys []string) *GazEntry {
	for _, k := range keys {
		if e, ok := g.byKey[k]; ok {
			return e
		}
	}
	return nil
}

// ByID returns an entry by its ID.
func (g *Gazetteer) ByID(id string) (*GazEntry, bool) {
	e, ok := g.byID[id]
	return e, ok
}

// Demonym returns the country a nationality adjective names ("Ukrainian" →
// Ukraine), if it is one.
func (g *Gazetteer) Demonym(word string) (*GazEntry, bool) {
	id, ok := g.demonymWords[word]
	if !ok {
		return nil, false
	}
	return g.ByID(id)
}

// NameKey is the key of a whole name: its words folded (see Fold), in
// order. Acronyms keep their letters: "U.S." and "US" give "us". It is the
// first of NameKeys.
func NameKey(name string) string {
	if k := nameKeys(name); len(k) > 0 {
		return k[0]
	}
	return ""
}

// maxKeys bounds the keys of one name.
const maxKeys = 8

// NameKeys returns the keys of a whole name, one per combination of the
// keys of its words (see Folds), at most eight. Two spellings of one name
// share at least one key.
func NameKeys(name string) []string { return slices.Clone(nameKeys(name)) }

// keyWordsOf are the words of a name as its keys (nameKeysOf) spell
// them, before their folds: the words of its Latin letters, full stops
// dropped.
func keyWordsOf(name string) []string {
	return strings.Fields(Latin(strings.ReplaceAll(name, ".", "")))
}

// keyWordAlts are the spellings a word of keyWordsOf takes in the keys:
// its folds, or the word itself when it is short. one is a buffer for
// the word alone.
func keyWordAlts(w string, one *[1]string) []string {
	if len(w) > 3 { // short words and acronyms: no stemming
		return folds(w)
	}
	one[0] = w
	return one[:]
}

// mayHaveEntry tells whether a name of the words of the name given (and
// maybe others) may have an entry: false when some word of it has no
// spelling in the keys (keyWords). The keys of a name are its words'
// spellings joined (nameKeysOf), so a name with such a word has none in
// byKey.
func (g *Gazetteer) mayHaveEntry(name string) bool {
	var one [1]string
	for _, w := range keyWordsOf(name) {
		found := false
		for _, a := range keyWordAlts(w, &one) {
			if g.keyWords[a] {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// nameKeysOf is nameKeys, not remembered.
func nameKeysOf(name string) []string {
	words := keyWordsOf(name)
	keys := []string{""}
	var one [1]string
	for i, w := range words {
		alts := keyWordAlts(w, &one)
		var next []string
		for _, k := range keys {
			for _, a := range alts {
				if len(next) < maxKeys {
					if i > 0 {
						next = append(next, k+" "+a)
					} else {
						next = append(next, a)
					}
				}
			}
		}
		keys = next
	}
	if len(words) == 0 {
		return nil
	}
	return keys
}
