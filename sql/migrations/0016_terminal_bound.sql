-- 0016: the audit trail's terminal is bounded (issue 17, finding 12).
--
-- A terminal is what the caller declares (p_terminal of every sl_*
-- function), so it is bounded like the other tables' terminals: 1 to 255
-- characters, and no control characters (a newline or an escape sequence
-- would forge a line of a report or a log).  The trigger terminal_checked()
-- (sql/functions/audit.sql) refuses such a terminal first, with SL400 and a
-- message a clerk can read; this constraint is the table's own guarantee.
--
-- Rows written before this migration are history and the trail is
-- append-only: they are kept as they are (NOT VALID: the constraint holds
-- for every row inserted from now on, not for the old ones; a supervisor
-- who wants to know finds them with
--   SELECT audit_id FROM audit_log WHERE NOT (length(terminal) BETWEEN 1
--   AND 255 AND terminal !~ '[\x01-\x1f\x7f]');
-- ).
ALTER TABLE audit_log ADD CONSTRAINT audit_log_terminal_bounded
	CHECK (length(terminal) BETWEEN 1 AND 255
	    AND terminal !~ '[\x01-\x1f\x7f]') NOT VALID;
