-- Sequences let several writer processes allocate positions without a shared
-- in-memory counter. Rolled-back transactions leave gaps in the numbers; readers
-- only ever advance past positions that are committed (see StreamIds).
CREATE SEQUENCE events_stream_seq;
CREATE SEQUENCE account_data_stream_seq;
CREATE SEQUENCE receipts_stream_seq;
CREATE SEQUENCE to_device_stream_seq;
CREATE SEQUENCE device_lists_stream_seq;
CREATE SEQUENCE state_group_id_seq;
