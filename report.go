package storyline

// Entity is a person, organisation or place, with every name variant merged.
type Entity struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Variants []string `json:"variants"`
	Articles []string `json:"articles"`
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

// Claim is a number claimed in an article: value, unit and what is counted.
type Claim struct {
	ID            string  `json:"id"`
	Article       string  `json:"article"`
	Text          string  `json:"text"`
	Value         float64 `json:"value"`
	Unit          *string `json:"unit"`
	Subject       *string `json:"subject"`
	SpeakerEntity *string `json:"speaker_entity"`
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

// DisagreementStatement is one side of a disagreement: a sentence of an article.
type DisagreementStatement struct {
	Article string `json:"article"`
	Text    string `json:"text"`
}

// Disagreement is a point on which articles of one story contradict each other.
type Disagreement struct {
	ID         string                  `json:"id"`
	About      string                  `json:"about"`
	Entity     *string                 `json:"entity"`
	Statements []DisagreementStatement `json:"statements"`
}
