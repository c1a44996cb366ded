package storyline

// Entity types.
const (
	Person       = "person"
	Organization = "organization"
	Location     = "location"
)

// Entity is a person, organisation or place, with every name variant merged.
type Entity struct {
	ID   string `json:"id"`
	Name string `json:"name"` // canonical name
	Type string `json:"type"` // Person, Organization or Location
	// Variants are the names as written, most frequent first.
	Variants []string `json:"variants"`
	// Articles are the IDs of the articles that mention the entity.
	Articles []string `json:"articles"`
	// Mentions counts the mentions, role nouns ("the Ukrainian leader")
	// and handles included.
	Mentions int `json:"mentions"`
	// Roles are the roles and titles articles gave the entity, with the
	// article's date: the input for disagreements about who holds what.
	Roles []EntityRole `json:"roles"`
	// Evidence says why names were merged into this entity, for audit.
	Evidence []string `json:"evidence"`
}

// EntityRole is a role or title one article gave an entity: "former U.S.
// President" in an article of 2025-03-15.
type EntityRole struct {
	Role    string  `json:"role"`
	Date    *string `json:"date"` // the article's publish date; null when unknown
	Article string  `json:"article"`
}

// Quote is a statement made by a speaker, direct or reported, in one article.
// Quotes of one statement carried by several articles share SameAs.
type Quote struct {
	ID            string  `json:"id"`
	Article       string  `json:"article"`
	Text          string  `json:"text"`
	Speaker       *string `json:"speaker"`
	SpeakerEntity *string `json:"speaker_entity"`
	Direct        bool    `json:"direct"`
	Cue           *string `json:"cue"`
	SameAs        *string `json:"same_as"`
}

// Claim is a number claimed in an article: value, unit and what is
// counted, with the sentence that claims it and who claims it.
type Claim struct {
	ID      string `json:"id"`
	Article string `json:"article"`
	// Text is the sentence that makes the claim.
	Text  string  `json:"text"`
	Value float64 `json:"value"`
	// Number is the number as written ("Two hundred thousand", "5%").
	Number string `json:"number"`
	// Qualifier is the bound or hedge before the number ("at least",
	// "about"); null when the number is given as exact.
	Qualifier *string `json:"qualifier"`
	Unit      *string `json:"unit"`    // "percent", "day", "ton", "USD"; null for a plain count
	Subject   *string `json:"subject"` // what is counted ("soldiers", "GDP", "ceasefire")
	// SpeakerEntity is the entity of the person or organisation that makes
	// the claim, when the number stands in a quote or is attributed in its
	// sentence ("a ceasefire proposed by …"); null otherwise.
	SpeakerEntity *string `json:"speaker_entity"`
	// Claimant names who claims the number: the speaker (the entity's name,
	// or the speaker as written when anonymous), else the article's outlet;
	// null when neither is known.
	Claimant *string `json:"claimant"`
	// Quoted tells whether the number stands inside a quote.
	Quoted bool `json:"quoted"`
}

// Event is a group of articles reporting one happening.
type Event struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	Articles       []string `json:"articles"`
	FirstPublished *string  `json:"first_published"`
}

// Story is a group of events followed over time.
type Story struct {
	ID             string   `json:"id"`
	Title          *string  `json:"title"`
	Articles       []string `json:"articles"`
	FirstPublished *string  `json:"first_published"`
	Events         []Event  `json:"events"`
}

// DisagreementStatement is one side of a disagreement: a sentence of an
// article, with the article's outlet and date and what it says on the
// point.
type DisagreementStatement struct {
	Article   string  `json:"article"`
	Text      string  `json:"text"`
	Outlet    *string `json:"outlet"`
	Published *string `json:"published"` // the article's publish date; null when unknown
	// Says is what this side says on the point: "former U.S. President",
	// "ongoing for four years", "at least 200,000 soldiers".
	Says string `json:"says"`
}

// Kinds of disagreement.
const (
	DisagreeRole     = "role"     // a person's title at the articles' dates
	DisagreeDuration = "duration" // how long something has lasted
	DisagreeQuantity = "quantity" // a number about one subject
)

// Disagreement is a point on which articles of one story contradict each
// other, with at least two statements and why it was flagged.
type Disagreement struct {
	ID         string                  `json:"id"`
	About      string                  `json:"about"`
	Entity     *string                 `json:"entity"`
	Statements []DisagreementStatement `json:"statements"`
	Kind       string                  `json:"kind"`  // DisagreeRole, DisagreeDuration or DisagreeQuantity
	Story      *string                 `json:"story"` // the story the articles belong to
	// Why says why the statements were flagged, with the dates that do
	// not explain the difference; for an update, the dates that do.
	Why string `json:"why"`
}
