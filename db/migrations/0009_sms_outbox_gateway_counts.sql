-- /metrics counts messages by state and gateway at every scrape: one GROUP BY read from this
-- covering index alone (SQL in hotline/sms_outbox_store.cpp, countsByStateAndGateway).
ALTER TABLE sms_outbox ADD KEY ix_sms_outbox_state_gateway (state, gateway);
