package quote

import "strings"

// femaleNames and maleNames are frequent first names in the news whose
// bearers "she" and "he" refer to: a pronoun never resolves to a person
// whose first name says otherwise. A name in neither list says nothing.
var femaleNames = wordSet(`hillary theresa angela ursula kamala nancy ivanka melania elizabeth sarah susan mary
patricia jennifer linda barbara margaret lisa karen betty helen sandra donna carol ruth sharon michelle laura
kimberly deborah jessica shirley cynthia amy anna rebecca virginia kathleen pamela martha debra amanda stephanie
carolyn christine marie janet catherine frances ann joyce diane alice julie heather teresa doris gloria evelyn
jean cheryl mildred katherine joan ashley judith rose janice kelly nicole judy christina kathy megyn theresa
beverly denise tammy irene jane lori rachel marilyn andrea kathryn louise sara anne jacqueline wanda bonnie
julia ruby lois tina phyllis norma paula diana annie lillian emily robin peggy crystal gladys rita dawn connie
florence tracy edna tiffany carmen rosa cindy grace wendy victoria edith kim sherry sylvia josephine thelma
shannon sheila ethel ellen elaine marjorie carrie charlotte monica esther pauline emma juanita anita rhonda
hazel amber eva debbie april leslie clara lucille jamie joanne eleanor valerie danielle megan alicia suzanne
michele gail bertha darlene veronica jill erin geraldine lauren cathy joann lorraine lynn sally regina erica
beatrice dolores bernice audrey yvonne annette june samantha marion dana stacy ana renee ida vivian roberta
holly brittany melanie loretta yolanda jeanette laurie katie kristen vanessa alma sue elsie beth jeanne
ilhan alexandria nikki condoleezza madeleine huma donna kellyanne sanna mette kaja annalena giorgia liz priti
jacinda ruth marine christine yulia olena tulsi elise amy heidi kirsten tammy dianne debbie maxine
rashida ayanna marsha lindsey kyrsten joni susana shelley jeanne stacey gretchen kristi janet`)

var maleNames = wordSet(`donald joe joseph vladimir volodymyr emmanuel keir boris david olaf friedrich xi
narendra recep benjamin barack george bill mike mark john james robert michael william richard thomas charles
christopher daniel matthew anthony andrew steven paul kevin brian ronald jeb ted marco chris rand bernie
ben scott mitch chuck harry tim rick lindsey jim tom jeff bob steve eric lloyd antony jake ron rudy newt
sean hunter jared barron gary larry dennis frank raymond gregory jerry walter patrick peter harold douglas
henry carl arthur ryan roger juan jack albert jonathan justin terry gerald keith samuel willie ralph lawrence
nicholas roy bruce brandon adam fred wayne billy louis jeremy aaron randy howard eugene carlos russell bobby
victor martin ernest phillip todd jesse craig alan shawn clarence philip johnny earl jimmy antonio danny
bryan tony luis stanley leonard nathan dale manuel rodney curtis norman allen marvin vincent glenn jeffrey
travis jacob lee melvin alfred kyle francis bradley jesus herbert frederick ray joel edwin don eddie ricky
troy randall barry alexander bernard mario leroy francisco marcus micheal theodore clifford miguel oscar jay
jim tom calvin alex jon ronnie bill lloyd tommy leon derek warren darrell jerome floyd leo alvin tim wesley
gordon dean greg jorge dustin pedro derrick dan lewis zachary corey herman maurice vernon roberto clyde
glen hector shane ricardo sam rick lester brent ramon charlie tyler gilbert gene marc reginald ruben brett
angel nathaniel rafael leslie edgar milton raul ben chester cecil duane franklin andre elmer brad gabriel
ron mitchell roland arnold harvey jared adrian karl cory claude erik darryl jamie neil jessie christian
javier fernando clinton ted mathew tyrone darren lonnie lance cody julio kelly kurt allan nelson guy
clayton hugh max dwayne dwight armando felix jimmie everett jordan ian wallace ken bob jaime casey alfredo
alberto dave ivan johnnie sidney byron julian isaac morris clifton willard daryl ross virgil andy marshall
salvador perry kirk sergio marion tracy seth kent terrance rene eduardo terrence enrique freddie wade
reince sheldon newt mitt dick al rahm jeh`)

// Names both lists hold (Leslie, Kelly, Jamie …) say nothing.
func init() {
	for n := range femaleNames {
		if maleNames[n] {
			delete(maleNames, n)
			delete(femaleNames, n)
		}
	}
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}

// genderOf returns "f" or "m" when the first word of a person's name is a
// known first name of one gender, "" otherwise.
func genderOf(name string) string {
	fs := strings.Fields(strings.ToLower(name))
	if len(fs) < 2 {
		return ""
	}
	switch first := strings.Trim(fs[0], ".,"); {
	case femaleNames[first]:
		return "f"
	case maleNames[first]:
		return "m"
	}
	return ""
}

// fits tells whether a pronoun may refer to a person of that name.
func fits(pronoun, name string) bool {
	fs := strings.Fields(strings.ToLower(name))
	for i, w := range fs {
		// the head of the name: its last word, or the word before "of"
		if (i == len(fs)-1 || fs[i+1] == "of") && groupWords[strings.Trim(w, ".,")] {
			return false // "Islamic State", "State of Virginia": no one "he" or "she" names
		}
	}
	switch genderOf(name) {
	case "f":
		return pronoun != "he"
	case "m":
		return pronoun != "she"
	}
	return true
}

// groupWords head the names of groups, places and things that the
// entity stage may take for a person's ("Islamic State", "Republican
// Jewish", "Madison Square Garden"); a pronoun never refers to them.
var groupWords = wordSet(`islamic jewish muslim qaeda state states republican republicans democratic
democrat democrats national party court department committee council university garden square century slam
association institute foundation administration convention county congress senate agency ministry bureau union
center centre company corporation group network internet news times journal magazine club church school
college hospital city office board fund campaign`)

// usStates are the names of the states of the United States, lower-cased,
// and their AP abbreviations without the full stop ("Allentown, Pa."). The
// entity stage knows them as no places, so that a title-case fragment
// ending in one ("Why Florida", "Democratic Vermont") or an abbreviation
// after a town ("Pa") can come out a person or a name of no type; for the
// speakers and their pronouns they are places.
var usStates = wordSet(`alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii
idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia wisconsin
wyoming ala ariz ark calif colo conn fla ga ill ky mich minn miss nev okla pa tenn tex vt va wis wyo`)

// usStates2 are the state names of two words, by their first word.
var usStates2 = map[string]string{"new": "hampshire jersey mexico york", "north": "carolina dakota",
	"south": "carolina dakota", "rhode": "island", "west": "virginia"}

// stateName tells whether name is a US state or ends in one: "Florida",
// "Pa", "Why Florida", "Ted Cruz South Carolina". "Virginia Foxx" is none.
func stateName(name string) bool {
	fs := strings.Fields(strings.ToLower(name))
	if len(fs) == 0 {
		return false
	}
	last := strings.Trim(fs[len(fs)-1], ".,’'")
	if len(fs) >= 2 {
		if second, ok := usStates2[fs[len(fs)-2]]; ok && strings.Contains(" "+second+" ", " "+last+" ") {
			return true
		}
	}
	return usStates[last]
}
