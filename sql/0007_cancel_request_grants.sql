-- 0007: clerks cancel through sl_cancel_keyed (0005), which claims the
-- cancel's request key in cancel_request; 0003 granted the clerk role what
-- the selling functions needed on the tables existing then.  Until the
-- functions run with their owner's rights, the clerk role needs the same on
-- this table.
GRANT SELECT, INSERT ON cancel_request TO seatlock_clerk;
