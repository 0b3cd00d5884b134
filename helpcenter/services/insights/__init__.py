"""Where self-service and peer help fail, measured: the events pages record, the dashboard's
measures, the gap inbox, the self-service score, KPI goals and their weekly report, and demo
traffic for the sample site."""
