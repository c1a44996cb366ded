package html

import "testing"

func TestCleanTitle(t *testing.T) {
	tests := []struct{ title, site, url, want string }{
		{"Harbour bridge reopens | Coast Times", "Coast Times", "", "Harbour bridge reopens"},
		{"Harbour bridge reopens - Golem.de", "", "https://www.golem.de/news/x.html", "Harbour bridge reopens"},
		{"Harbour bridge reopens – CT – 04.03.2025", "", "https://ct.example/a", "Harbour bridge reopens"},
		{"Rates rise | Börsen-Zeitung", "", "https://www.boersen-zeitung.de/x", "Rates rise"},
		{"港の橋が再開：沿岸新聞Web", "沿岸新聞Web", "", "港の橋が再開"},
		// A segment that is not the site stays.
		{"Bridge reopens - what it means for commuters", "Coast Times", "https://coasttimes.example/x", "Bridge reopens - what it means for commuters"},
		{"Coast Times editor resigns", "Coast Times", "", "Coast Times editor resigns"},
		{"| Coast Times", "Coast Times", "", "| Coast Times"},
	}
	for _, tt := range tests {
		if got := CleanTitle(tt.title, tt.site, tt.url); got != tt.want {
			t.Errorf("CleanTitle(%q, %q, %q) = %q, want %q", tt.title, tt.site, tt.url, got, tt.want)
		}
	}
}

func TestCleanAuthor(t *testing.T) {
	tests := []struct{ author, site, url, want string }{
		{"Autor Mara Quill; Tom Lee", "", "", "Mara Quill; Tom Lee"},
		{"Coast Times; Mara Quill", "Coast Times", "", "Mara Quill"},
		{"Mara Quill; Coasttimes Com", "", "https://coasttimes.com/x", "Mara Quill"},
		// An outlet byline alone stays: the outlet is the author.
		{"Coast Times", "Coast Times", "", "Coast Times"},
		// A person whose name starts like a short site name stays.
		{"Weltmann Anna", "Welt", "https://welt.de/x", "Weltmann Anna"},
		{"", "Coast Times", "", ""},
	}
	for _, tt := range tests {
		if got := CleanAuthor(tt.author, tt.site, tt.url); got != tt.want {
			t.Errorf("CleanAuthor(%q, %q, %q) = %q, want %q", tt.author, tt.site, tt.url, got, tt.want)
		}
	}
}
