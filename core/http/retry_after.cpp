// SPDX-License-Identifier: GPL-3.0-or-later
#include "retry_after.h"

#include <QTimeZone>

#include <array>
#include <limits>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

constexpr std::array<const char *, 7> kShortDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char *, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                "Friday", "Saturday", "Sunday"};
constexpr std::array<const char *, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// RFC 9110 §5.5: OWS is spaces and horizontal tabs only.
QByteArrayView trimOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// A small cursor over the date text that fails softly.
class Cursor
{
public:
    explicit Cursor(QByteArrayView t)
        : m_t(t)
    {}
    bool atEnd() const { return m_pos >= m_t.size(); }
    bool literal(QByteArrayView s)
    {
        if (m_t.sliced(m_pos).startsWith(s)) {
            m_pos += s.size();
            return true;
        }
        return false;
    }
    // Exactly `count` digits.
    std::optional<int> digits(int count)
    {
        if (m_pos + count > m_t.size())
            return std::nullopt;
        int v = 0;
        for (int i = 0; i < count; ++i) {
            const char c = m_t[m_pos + i];
            if (!isDigit(c))
                return std::nullopt;
            v = v * 10 + (c - '0');
        }
        m_pos += count;
        return v;
    }
    template<std::size_t N> std::optional<int> oneOf(const std::array<const char *, N> &names)
    {
        for (std::size_t i = 0; i < N; ++i) {
            if (literal(QByteArrayView(names[i])))
                return static_cast<int>(i);
        }
        return std::nullopt;
    }
    // hh:mm:ss
    std::optional<QTime> time()
    {
        const auto h = digits(2);
        if (!h || !literal(":"))
            return std::nullopt;
        const auto m = digits(2);
        if (!m || !literal(":"))
            return std::nullopt;
        const auto s = digits(2);
        // 60 is a leap second; QTime has none, so it reads as 59.
        if (!s || *h > 23 || *m > 59 || *s > 60)
            return std::nullopt;
        return QTime(*h, *m, std::min(*s, 59));
    }

private:
    QByteArrayView m_t;
    qsizetype m_pos = 0;
};

std::optional<QDateTime> makeUtc(int year, int month, int day, QTime time)
{
    const QDate date(year, month, day);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    return QDateTime(date, time, QTimeZone::utc());
}

std::optional<QDateTime> parseImf(QByteArrayView t)
{
    // day-name "," SP day SP month SP year SP time SP "GMT"
    Cursor c(t);
    if (!c.oneOf(kShortDays) || !c.literal(", "))
        return std::nullopt;
    const auto day = c.digits(2);
    if (!day || !c.literal(" "))
        return std::nullopt;
    const auto month = c.oneOf(kMonths);
    if (!month || !c.literal(" "))
        return std::nullopt;
    const auto year = c.digits(4);
    if (!year || !c.literal(" "))
        return std::nullopt;
    const auto time = c.time();
    if (!time || !c.literal(" GMT") || !c.atEnd())
        return std::nullopt;
    return makeUtc(*year, *month + 1, *day, *time);
}

std::optional<QDateTime> parseRfc850(QByteArrayView t, const QDateTime &now)
{
    // day-name-l "," SP day "-" month "-" 2DIGIT SP time SP "GMT"
    Cursor c(t);
    if (!c.oneOf(kLongDays) || !c.literal(", "))
        return std::nullopt;
    const auto day = c.digits(2);
    if (!day || !c.literal("-"))
        return std::nullopt;
    const auto month = c.oneOf(kMonths);
    if (!month || !c.literal("-"))
        return std::nullopt;
    const auto yy = c.digits(2);
    if (!yy || !c.literal(" "))
        return std::nullopt;
    const auto time = c.time();
    if (!time || !c.literal(" GMT") || !c.atEnd())
        return std::nullopt;
    // RFC 9110 §5.6.7: a year more than 50 years in the future is the most recent past year
    // with the same last two digits.
    const int nowYear = now.isValid() ? now.toUTC().date().year() : QDate::currentDate().year();
    int year = (nowYear / 100) * 100 + *yy;
    if (year > nowYear + 50)
        year -= 100;
    else if (year < nowYear - 49)
        year += 100;
    return makeUtc(year, *month + 1, *day, *time);
}

std::optional<QDateTime> parseAsctime(QByteArrayView t)
{
    // day-name SP month SP ( 2DIGIT / ( SP DIGIT ) ) SP time SP year
    Cursor c(t);
    if (!c.oneOf(kShortDays) || !c.literal(" "))
        return std::nullopt;
    const auto month = c.oneOf(kMonths);
    if (!month || !c.literal(" "))
        return std::nullopt;
    std::optional<int> day;
    if (c.literal(" "))
        day = c.digits(1);
    else
        day = c.digits(2);
    if (!day || !c.literal(" "))
        return std::nullopt;
    const auto time = c.time();
    if (!time || !c.literal(" "))
        return std::nullopt;
    const auto year = c.digits(4);
    if (!year || !c.atEnd())
        return std::nullopt;
    return makeUtc(*year, *month + 1, *day, *time);
}

} // namespace

std::optional<HttpDate> parseHttpDate(QByteArrayView text, const QDateTime &now, QString *error)
{
    const QByteArrayView t = trimOws(text);
    if (auto d = parseImf(t))
        return HttpDate{*d, HttpDateForm::ImfFixdate};
    if (auto d = parseRfc850(t, now))
        return HttpDate{*d, HttpDateForm::Rfc850};
    if (auto d = parseAsctime(t))
        return HttpDate{*d, HttpDateForm::Asctime};
    if (error) {
        if (t.endsWith("+0000") || t.endsWith("-0000") || t.endsWith("UTC") || t.endsWith("Z"))
            *error = u"an HTTP-date must end in GMT, not a numeric or other zone"_s;
        else
            *error = u"not an HTTP-date (IMF-fixdate, RFC 850 or asctime)"_s;
    }
    return std::nullopt;
}

QByteArray formatHttpDate(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    return QByteArray(kShortDays[static_cast<std::size_t>(d.dayOfWeek() - 1)]) + ", " +
           QByteArray::number(d.day()).rightJustified(2, '0') + ' ' +
           kMonths[static_cast<std::size_t>(d.month() - 1)] + ' ' +
           QByteArray::number(d.year()).rightJustified(4, '0') + ' ' +
           QByteArray::number(t.hour()).rightJustified(2, '0') + ':' +
           QByteArray::number(t.minute()).rightJustified(2, '0') + ':' +
           QByteArray::number(t.second()).rightJustified(2, '0') + " GMT";
}

RetryAfter parseRetryAfter(const QList<QByteArray> &values, const QDateTime &receivedAt,
                           const QByteArray &dateHeader, Duration maxDelay)
{
    RetryAfter r;
    if (values.isEmpty()) {
        r.error = u"no Retry-After field"_s;
        return r;
    }
    if (values.size() > 1) {
        r.error =
            u"%1 Retry-After fields in one response; the value is ambiguous"_s.arg(values.size());
        return r;
    }
    const QByteArrayView v = trimOws(values.front());
    if (v.isEmpty()) {
        r.error = u"Retry-After is empty"_s;
        return r;
    }
    const qint64 maxSeconds = std::chrono::duration_cast<std::chrono::seconds>(maxDelay).count();

    if (isDigit(v.front())) {
        // delay-seconds = 1*DIGIT; accumulate with a ceiling so a long string never overflows.
        qint64 seconds = 0;
        for (const char c : v) {
            if (!isDigit(c)) {
                r.error =
                    u"'%1' is not delay-seconds (digits only: no sign, fraction or unit)"_s.arg(
                        QString::fromLatin1(v));
                return r;
            }
            if (seconds <= maxSeconds)
                seconds = seconds * 10 + (c - '0');
        }
        r.form = RetryAfterForm::DelaySeconds;
        if (seconds > maxSeconds) {
            r.clamped = true;
            r.delay = maxDelay;
        } else {
            r.delay = std::chrono::seconds(seconds);
        }
        return r;
    }

    QString dateError;
    const auto date = parseHttpDate(v, receivedAt, &dateError);
    if (!date) {
        r.error = u"'%1' is neither delay-seconds nor an HTTP-date: %2"_s.arg(
            QString::fromLatin1(v), dateError);
        return r;
    }
    r.form = date->form == HttpDateForm::ImfFixdate ? RetryAfterForm::ImfFixdate
             : date->form == HttpDateForm::Rfc850   ? RetryAfterForm::Rfc850
                                                    : RetryAfterForm::Asctime;
    QDateTime reference = receivedAt.toUTC();
    if (!dateHeader.isEmpty()) {
        if (const auto serverNow = parseHttpDate(dateHeader, receivedAt)) {
            reference = serverNow->utc;
            r.measuredFromDate = true;
        }
    }
    const qint64 ms = reference.msecsTo(date->utc);
    if (ms <= 0) {
        r.pastDate = true;
        r.delay = Duration::zero();
    } else if (ms / 1000 > maxSeconds) {
        r.clamped = true;
        r.delay = maxDelay;
    } else {
        r.delay = std::chrono::milliseconds(ms);
    }
    return r;
}

QString retryAfterFormId(RetryAfterForm form)
{
    switch (form) {
    case RetryAfterForm::DelaySeconds:
        return u"delay-seconds"_s;
    case RetryAfterForm::ImfFixdate:
        return u"imf-fixdate"_s;
    case RetryAfterForm::Rfc850:
        return u"rfc850"_s;
    case RetryAfterForm::Asctime:
        return u"asctime"_s;
    }
    return {};
}

} // namespace retrylab
