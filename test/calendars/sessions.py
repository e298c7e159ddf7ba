"""Prints every session of an exchange_calendars calendar as JSON lines: date, open, close (epoch ms)."""
import json
import sys

import exchange_calendars as xc

name, start, end = sys.argv[1:4]
schedule = xc.get_calendar(name, start=start, end=end).schedule
for date, row in schedule.iterrows():
    print(json.dumps([date.strftime("%Y-%m-%d"), row.open.value // 1_000_000, row.close.value // 1_000_000]))
