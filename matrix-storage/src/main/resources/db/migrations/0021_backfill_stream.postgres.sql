-- Backfilled events take stream orderings below every other event's: the negated positions of
-- this sequence (see 0021_backfill_stream.sql).
CREATE SEQUENCE backfill_stream_seq;
