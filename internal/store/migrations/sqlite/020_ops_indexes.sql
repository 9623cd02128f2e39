-- /metrics counts open SLA clocks and failed webhook deliveries at every
-- scrape; these indexes keep that to the open rows, whatever the history.
CREATE INDEX clocks_open ON clocks(status, due_at) WHERE status IN ('pending', 'paused', 'breached');
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries(status) WHERE status = 'failed';
