# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a server's request to wait: core/http/retry_after.cpp and core/http/pushback.cpp.

Times are whole milliseconds since the Unix epoch (UTC), as QDateTime counts them; delays are
microseconds like the C++ Duration.
"""

import calendar
import datetime
import re

DAY_MS = 24 * 3600 * 1000
_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIME = r"(\d\d):(\d\d):(\d\d)"
_IMF = re.compile(r"(%s), (\d\d) (%s) (\d{4}) %s GMT\Z" % ("|".join(_SHORT_DAYS), "|".join(_MONTHS), _TIME))
_RFC850 = re.compile(r"(%s), (\d\d)-(%s)-(\d\d) %s GMT\Z" % ("|".join(_LONG_DAYS), "|".join(_MONTHS), _TIME))
_ASCTIME = re.compile(r"(%s) (%s) ( \d|\d\d) %s (\d{4})\Z" % ("|".join(_SHORT_DAYS), "|".join(_MONTHS), _TIME))
_INTEGER = re.compile(r"[+-]?\d+\Z")


def _trim_ows(text):
    return text.strip(" \t")


def _epoch_ms(year, month, day, hh, mm, ss):
    if hh > 23 or mm > 59 or ss > 60:
        return None
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    # 60 is a leap second; QTime has none, so it reads as 59.
    return calendar.timegm((year, month, day, hh, mm, min(ss, 59), 0, 0, 0)) * 1000


def _year_of(epoch_ms):
    return datetime.datetime.fromtimestamp(epoch_ms // 1000, datetime.timezone.utc).year


def parse_http_date(text, now_ms):
    """(epoch ms, form) for an HTTP-date in any of RFC 9110's three forms, or (None, error)."""
    t = _trim_ows(text)
    m = _IMF.match(t)
    if m:
        ms = _epoch_ms(int(m.group(4)), _MONTHS.index(m.group(3)) + 1, int(m.group(2)),
                       int(m.group(5)), int(m.group(6)), int(m.group(7)))
        if ms is not None:
            return ms, "imf-fixdate"
    m = _RFC850.match(t)
    if m:
        # RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is in the past century.
        now_year = _year_of(now_ms)
        year = (now_year // 100) * 100 + int(m.group(4))
        if year > now_year + 50:
            year -= 100
        elif year < now_year - 49:
            year += 100
        ms = _epoch_ms(year, _MONTHS.index(m.group(3)) + 1, int(m.group(2)),
                       int(m.group(5)), int(m.group(6)), int(m.group(7)))
        if ms is not None:
            return ms, "rfc850"
    m = _ASCTIME.match(t)
    if m:
        ms = _epoch_ms(int(m.group(7)), _MONTHS.index(m.group(2)) + 1, int(m.group(3).strip()),
                       int(m.group(4)), int(m.group(5)), int(m.group(6)))
        if ms is not None:
            return ms, "asctime"
    if t.endswith(("+0000", "-0000", "UTC", "Z")):
        return None, "an HTTP-date must end in GMT, not a numeric or other zone"
    return None, "not an HTTP-date (IMF-fixdate, RFC 850 or asctime)"


def format_http_date(epoch_ms):
    """IMF-fixdate, the form a server sends."""
    d = datetime.datetime.fromtimestamp(epoch_ms // 1000, datetime.timezone.utc)
    return "%s, %02d %s %04d %02d:%02d:%02d GMT" % (
        _SHORT_DAYS[d.weekday()], d.day, _MONTHS[d.month - 1], d.year, d.hour, d.minute, d.second)


class RetryAfter:
    def __init__(self):
        self.delay_us = None  # None when the value was invalid
        self.form = "delay-seconds"
        self.clamped = False
        self.past_date = False
        self.measured_from_date = False
        self.error = ""


def parse_retry_after(values, received_ms, date_header="", max_delay_us=DAY_MS * 1000):
    """Reads every Retry-After line of one response (RFC 9110 §10.2.3)."""
    r = RetryAfter()
    if not values:
        r.error = "no Retry-After field"
        return r
    if len(values) > 1:
        r.error = "%d Retry-After fields in one response; the value is ambiguous" % len(values)
        return r
    v = _trim_ows(values[0])
    if not v:
        r.error = "Retry-After is empty"
        return r
    max_seconds = max_delay_us // 1_000_000
    if v[0] in "0123456789":
        seconds = 0
        for c in v:
            if c not in "0123456789":
                r.error = "'%s' is not delay-seconds (digits only: no sign, fraction or unit)" % v
                return r
            if seconds <= max_seconds:
                seconds = seconds * 10 + (ord(c) - 48)
        r.form = "delay-seconds"
        if seconds > max_seconds:
            r.clamped = True
            r.delay_us = max_delay_us
        else:
            r.delay_us = seconds * 1_000_000
        return r
    date_ms, form_or_error = parse_http_date(v, received_ms)
    if date_ms is None:
        r.error = "'%s' is neither delay-seconds nor an HTTP-date: %s" % (v, form_or_error)
        return r
    r.form = form_or_error
    reference = received_ms
    if date_header:
        server_now, _ = parse_http_date(date_header, received_ms)
        if server_now is not None:
            reference = server_now
            r.measured_from_date = True
    ms = date_ms - reference
    if ms <= 0:
        r.past_date = True
        r.delay_us = 0
    elif ms // 1000 > max_seconds:
        r.clamped = True
        r.delay_us = max_delay_us
    else:
        r.delay_us = ms * 1000
    return r


class Pushback:
    def __init__(self, delay_us, source, clamped=False, do_not_retry=False, retry_after=None):
        self.delay_us = delay_us
        self.source = source
        self.clamped = clamped
        self.do_not_retry = do_not_retry
        self.retry_after = retry_after  # the RetryAfter details when source is "retry-after"


def header_values(headers, name):
    """Every value of a header, by case-insensitive name, in order. `headers`: (name, value)."""
    lower = name.lower()
    return [v for (k, v) in headers if k.lower() == lower]


def _integer(text):
    t = text.strip()
    return int(t) if _INTEGER.match(t) else None


def _clamp_ms(millis, max_delay_us):
    if millis * 1000 > max_delay_us:
        return max_delay_us, True
    return max(0, millis) * 1000, False


def _rate_limit_items(value):
    items = []
    dictionary = {}
    for member in value.split(","):
        item = {}
        for part in member.split(";"):
            part = part.strip()
            eq = part.find("=")
            if eq <= 0:
                continue
            key = part[:eq].strip().lower()
            number = _integer(part[eq + 1:])
            if number is None:
                continue
            if key in ("r", "t"):
                item[key] = number
            elif key == "remaining":
                dictionary["r"] = number
            elif key == "reset":
                dictionary["t"] = number
        if item:
            items.append(item)
    if dictionary:
        items.append(dictionary)
    return items


def read_pushback(status, headers, received_ms, max_delay_us=DAY_MS * 1000):
    """(Pushback or None, problems): every pushback header of a response, Retry-After first."""
    problems = []
    retry_after = header_values(headers, "retry-after")
    if retry_after:
        dates = header_values(headers, "date")
        ra = parse_retry_after(retry_after, received_ms, dates[0] if len(dates) == 1 else "",
                               max_delay_us)
        if ra.delay_us is not None:
            return Pushback(ra.delay_us, "retry-after", ra.clamped, False, ra), problems
        problems.append("Retry-After ignored: %s" % ra.error)
    for value in header_values(headers, "ratelimit"):
        for item in _rate_limit_items(value):
            if item.get("r") is not None and item["r"] <= 0 and item.get("t") is not None:
                d, clamped = _clamp_ms(item["t"] * 1000, max_delay_us)
                return Pushback(d, "ratelimit", clamped), problems
    remaining = header_values(headers, "ratelimit-remaining")
    reset = header_values(headers, "ratelimit-reset")
    if remaining and reset:
        r, t = _integer(remaining[0]), _integer(reset[0])
        if r is not None and r <= 0 and t is not None and t >= 0:
            d, clamped = _clamp_ms(t * 1000, max_delay_us)
            return Pushback(d, "ratelimit", clamped), problems
    amz = header_values(headers, "x-amz-retry-after")
    if amz:
        ms = _integer(amz[0])
        if ms is not None and ms >= 0:
            d, clamped = _clamp_ms(ms, max_delay_us)
            return Pushback(d, "x-amz-retry-after", clamped), problems
        problems.append("x-amz-retry-after ignored: '%s' is not a whole number of milliseconds"
                        % amz[0])
    grpc = header_values(headers, "grpc-retry-pushback-ms")
    if grpc:
        ms = _integer(grpc[0])
        stop = ms is None or ms < 0  # gRPC A6: negative or unreadable means "do not retry"
        d, clamped = (0, False) if stop else _clamp_ms(ms, max_delay_us)
        return Pushback(d, "grpc-retry-pushback-ms", clamped, stop), problems
    x_reset = header_values(headers, "x-ratelimit-reset")
    if x_reset:
        x_remaining = header_values(headers, "x-ratelimit-remaining")
        left = _integer(x_remaining[0]) if x_remaining else None
        exhausted = (left is not None and left <= 0) or status == 429
        value = _integer(x_reset[0])
        if value is None or value < 0:
            problems.append("X-RateLimit-Reset ignored: '%s' is not a whole number" % x_reset[0])
        elif exhausted:
            now = received_ms
            dates = header_values(headers, "date")
            if len(dates) == 1:
                parsed, _ = parse_http_date(dates[0], received_ms)
                if parsed is not None:
                    now = parsed
            if value >= 1_000_000_000_000:
                millis = value - now
            elif value >= 1_000_000_000:
                millis = value * 1000 - now
            else:
                millis = value * 1000
            d, clamped = _clamp_ms(millis, max_delay_us)
            return Pushback(d, "x-ratelimit-reset", clamped), problems
    return None, problems
