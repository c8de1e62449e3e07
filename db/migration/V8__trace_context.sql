-- The trace context of the request that wrote an event, in Debezium's outbox convention: a column
-- named tracingspancontext holding the W3C headers in java.util.Properties form
-- ("traceparent=00-<trace id>-<span id>-<flags>", optionally a "tracestate=..." line), so
-- Debezium's ActivateTracingSpan could read it too. NULL for events written outside a trace.
ALTER TABLE outbox ADD COLUMN tracingspancontext text;

-- The ledger keeps the same text, copied from the outbox when the event is registered: every send
-- and replay of the notification is a span in the trace of the order's POST.
ALTER TABLE notification ADD COLUMN trace_context text;
