-- SPDX-License-Identifier: MIT
-- A small CRM's tables, as crm_postgres reads and writes them (see README.md).

-- The member structure. member_no is the enrolment order: downline's network-file order.
CREATE TABLE members (
  member_no    bigserial PRIMARY KEY,
  id           text NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 64 AND id !~ '[,"\r\n]'),
  sponsor_id   text REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
  placement_id text REFERENCES members (id) DEFERRABLE INITIALLY DEFERRED,
  position     text,                    -- 'L' / 'R' (binary) or '1'..width (matrix)
  joined       date,
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'hold', 'terminated'))
);

-- Orders in the company's currency; a negative amount is a refund or return.
CREATE TABLE orders (
  order_no   text PRIMARY KEY,
  member_id  text NOT NULL REFERENCES members (id),
  amount     numeric(14, 2) NOT NULL,
  volume     numeric(16, 4),            -- commissionable points; NULL: equal to the amount
  kind       text NOT NULL DEFAULT 'retail' CHECK (kind IN ('retail', 'personal', 'fee')),
  ordered_on date NOT NULL
);
CREATE INDEX orders_by_date ON orders (ordered_on);

-- One row per commission run. period_id is downline's period ('2026-01'); a closed period is
-- never computed again.
CREATE TABLE commission_periods (
  period_id    text PRIMARY KEY,
  starts_on    date NOT NULL,
  ends_on      date NOT NULL CHECK (ends_on >= starts_on),
  closed       boolean NOT NULL DEFAULT false,
  computed_at  timestamptz,             -- last successful run
  total_payout numeric                  -- exact, in the plan's money_decimals
);

-- What each member earned from each bonus in a period (downline's payouts.csv).
CREATE TABLE payouts (
  period_id text NOT NULL REFERENCES commission_periods,
  member_id text NOT NULL REFERENCES members (id),
  bonus     text NOT NULL,
  amount    numeric NOT NULL,
  PRIMARY KEY (period_id, member_id, bonus)
);

-- What is paid out after minimums, fees and deductions (downline's payables.csv, SPEC §11).
CREATE TABLE payables (
  period_id   text NOT NULL REFERENCES commission_periods,
  member_id   text NOT NULL REFERENCES members (id),
  earned      numeric NOT NULL,
  balance_in  numeric NOT NULL,
  fee         numeric NOT NULL,
  deductions  numeric NOT NULL,
  paid        numeric NOT NULL,
  balance_out numeric NOT NULL,
  forfeited   numeric NOT NULL,
  status      text NOT NULL CHECK (status IN ('paid', 'hold', 'below_minimum', 'negative', 'forfeited')),
  PRIMARY KEY (period_id, member_id)
);

-- What a period hands to the next (downline's --state-out, SPEC §7): paid-as and title ranks,
-- grace, activity, binary carry and each member's carried `balance`, as text exactly as downline
-- wrote it. The next period's run reads the rows of the period before it.
CREATE TABLE member_state (
  period_id text NOT NULL REFERENCES commission_periods,
  member_id text NOT NULL REFERENCES members (id),
  key       text NOT NULL,
  value     text NOT NULL,
  PRIMARY KEY (period_id, member_id, key)
);
