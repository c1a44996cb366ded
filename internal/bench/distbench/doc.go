// Package distbench measures distributed ingestion end to end: generated
// plain-text articles (internal/bench.WriteGenerated: real BBC text,
// replicated and perturbed, labelled as generated) queued with
// `storyline ingest --nats` on a NATS server with JetStream run inside the
// test process, and taken by 1, 2 and 4 `storyline worker`s (goroutines
// running the command line, each with its own connections) into a
// throwaway PostgreSQL (internal/postgres/pgtest, or
// STORYLINE_TEST_POSTGRES): extract, store, place in stories.
//
// It holds only a benchmark, so the NATS server stays out of the storyline
// binary:
//
//	STORYLINE_BENCH_ARTICLES=10000 go test -run '^$' -bench Distributed -benchtime 1x -timeout 2h ./internal/bench/distbench
//
// It needs ../shared/data/bbc and PostgreSQL's initdb (or
// STORYLINE_TEST_POSTGRES); without them it skips.
package distbench
