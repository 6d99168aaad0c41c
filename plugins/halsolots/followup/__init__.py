"""The yearly follow-up (`make uppfoljning`): participants from the content, visits, searches and calendar
subscriptions from the web server's own access log, as CSV files and a printable page. No Pelican: it reads the
content as `make check` does and the logs as a stream."""
