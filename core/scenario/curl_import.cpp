// SPDX-License-Identifier: GPL-3.0-or-later
#include "curl_import.h"

#include "http/wire/message_writer.h"
#include "http/wire/wire_syntax.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

// Splits like a POSIX shell, without expansions. Returns false on an unclosed quote.
bool shellSplit(const QString &text, QStringList *out, QString *error)
{
    QString word;
    bool inWord = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\\' && i + 1 < text.size()) {
            if (text[i + 1] == u'\n' || (text[i + 1] == u'\r' && i + 2 < text.size())) {
                i += text[i + 1] == u'\r' ? 2 : 1; // a line continuation
                continue;
            }
            word += text[++i];
            inWord = true;
        } else if (c == u'\'') {
            const qsizetype end = text.indexOf(u'\'', i + 1);
            if (end < 0) {
                *error = u"a single quote is not closed"_s;
                return false;
            }
            word += text.mid(i + 1, end - i - 1);
            i = end;
            inWord = true;
        } else if (c == u'"') {
            qsizetype j = i + 1;
            for (; j < text.size() && text[j] != u'"'; ++j) {
                if (text[j] == u'\\' && j + 1 < text.size() &&
                    QStringView(u"\"\\$`").contains(text[j + 1]))
                    ++j;
                word += text[j];
            }
            if (j >= text.size()) {
                *error = u"a double quote is not closed"_s;
                return false;
            }
            i = j;
            inWord = true;
        } else if (c.isSpace()) {
            if (inWord)
                *out << word;
            word.clear();
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord)
        *out << word;
    return true;
}

// Reads the words after "curl" one option at a time; each read* method takes one kind of
// option and returns false with r.error set when its value is wrong.
class CommandReader
{
public:
    CommandReader(QStringList args, CurlImport &r)
        : m_args(std::move(args))
        , m_r(r)
    {}

    bool read()
    {
        for (m_i = 1; m_i < m_args.size(); ++m_i) {
            const QString a = m_args[m_i];
            const QString name = a.startsWith(u"--"_s) ? a.section(u'=', 0, 0) : a.left(2);
            std::optional<bool> taken = readRequest(name, a);
            if (!taken)
                taken = readRetry(name, a);
            if (!taken)
                readOther(a);
            else if (!*taken)
                return false;
        }
        if (m_retry.given()) {
            m_r.policy = curlRetryPolicy(m_retry);
            m_r.policyNote = describeCurlRetry(m_retry);
        }
        return true;
    }

private:
    // --opt=value or --opt value; -Xvalue or -X value
    std::optional<QString> value()
    {
        const QString a = m_args[m_i];
        if (a.startsWith(u"--"_s) && a.contains(u'='))
            return a.mid(a.indexOf(u'=') + 1);
        if (!a.startsWith(u"--"_s) && a.size() > 2)
            return a.mid(2);
        if (m_i + 1 >= m_args.size())
            return std::nullopt;
        return m_args[++m_i];
    }

    bool fail(const QString &error)
    {
        m_r.error = error;
        return false;
    }

    // The request: method, headers, body, URL, credentials. nullopt: not one of these.
    std::optional<bool> readRequest(const QString &name, const QString &a)
    {
        if (name == u"-X"_s || name == u"--request"_s)
            return readMethod(name);
        if (name == u"-H"_s || name == u"--header"_s)
            return readHeader(name);
        if (name == u"-d"_s || name == u"--data"_s || name == u"--data-raw"_s ||
            name == u"--data-binary"_s || name == u"--json"_s || name == u"--data-ascii"_s)
            return readData(name);
        if (name == u"-u"_s || name == u"--user"_s)
            return readUser(name);
        if (name == u"--url"_s) {
            if (const auto v = value())
                m_r.url = QUrl(*v, QUrl::TolerantMode);
            return true;
        }
        if (a == u"-I"_s || a == u"--head"_s) {
            m_r.method = "HEAD";
            m_methodGiven = true;
            return true;
        }
        if (a == u"-G"_s || a == u"--get"_s)
            return fail(u"-G (data in the query string) is not supported: put it in the URL"_s);
        return std::nullopt;
    }

    bool readMethod(const QString &name)
    {
        const auto v = value();
        if (!v)
            return fail(u"%1 needs a method"_s.arg(name));
        m_r.method = v->toUpper().toLatin1();
        if (!wire::isToken(m_r.method)) // it goes into the request line as given
            return fail(u"%1 needs a method, got '%2'"_s.arg(name, *v));
        m_methodGiven = true;
        return true;
    }

    bool readHeader(const QString &name)
    {
        const auto v = value();
        const qsizetype colon = v ? v->indexOf(u':') : -1;
        if (!v || colon <= 0)
            return fail(u"%1 needs 'Name: value', got '%2'"_s.arg(name, v.value_or(QString())));
        const HeaderList::value_type header{v->left(colon).trimmed().toLatin1(),
                                            v->mid(colon + 1).trimmed().toUtf8()};
        // A line break inside quotes would put a second header (or a request) on the wire.
        QString why;
        if (!wire::validField(header.first, header.second, &why))
            return fail(u"%1: %2"_s.arg(name, why));
        m_r.headers.append(header);
        return true;
    }

    bool readData(const QString &name)
    {
        const auto v = value();
        if (!v)
            return fail(u"%1 needs data"_s.arg(name));
        if (v->startsWith(u'@') && name != u"--data-raw"_s) {
            m_r.ignored << u"%1 %2: reading a file is not imported; paste the body instead"_s.arg(
                name, *v);
            return true;
        }
        if (!m_r.body.isEmpty())
            m_r.body += '&';
        m_r.body += v->toUtf8();
        if (name == u"--json"_s) {
            m_r.headers.emplaceBack("Content-Type", "application/json");
            m_r.headers.emplaceBack("Accept", "application/json");
        }
        if (!m_methodGiven)
            m_r.method = "POST";
        return true;
    }

    bool readUser(const QString &name)
    {
        const auto v = value();
        if (!v || !v->contains(u':'))
            return fail(u"%1 '%2': curl would ask for the password; write %1 user:password"_s.arg(
                name, v.value_or(QString())));
        m_r.headers.emplaceBack("Authorization", "Basic " + v->toUtf8().toBase64());
        return true;
    }

    // curl's retry options (curl_retry.h). nullopt: not one of these.
    std::optional<bool> readRetry(const QString &name, const QString &a)
    {
        if (name == u"--retry"_s) {
            double n = 0;
            if (!number(name, true, &n))
                return false;
            m_retry.retries = int(n);
            return true;
        }
        if (name == u"--retry-delay"_s)
            return number(name, false, &m_retry.delaySeconds);
        if (name == u"--retry-max-time"_s)
            return number(name, false, &m_retry.maxTimeSeconds);
        if (name == u"-m"_s || name == u"--max-time"_s)
            return number(name, false, &m_retry.transferSeconds);
        bool *flag = a == u"--retry-all-errors"_s    ? &m_retry.allErrors
                     : a == u"--retry-connrefused"_s ? &m_retry.connectionRefused
                     : (a == u"-f"_s || a == u"--fail"_s || a == u"--fail-with-body"_s)
                         ? &m_retry.failOnHttpError
                         : nullptr;
        if (!flag)
            return std::nullopt;
        *flag = true;
        return true;
    }

    // A number of seconds (or of retries, `whole`) after an option.
    bool number(const QString &name, bool whole, double *out)
    {
        const auto v = value();
        bool ok = false;
        const double n = v ? (whole ? double(v->toInt(&ok)) : v->toDouble(&ok)) : 0;
        if (!ok || n < 0 || !std::isfinite(n) || n > 1e7)
            return fail(u"%1 needs %2, got '%3'"_s.arg(
                name, whole ? u"a whole number"_s : u"a number of seconds"_s,
                v.value_or(QString())));
        *out = n;
        return true;
    }

    // Display options, unknown options, the URL.
    void readOther(const QString &a)
    {
        static const QStringList silent{u"-s"_s,           u"--silent"_s,  u"-S"_s,
                                        u"--show-error"_s, u"-v"_s,        u"--verbose"_s,
                                        u"-i"_s,           u"--include"_s, u"--compressed"_s,
                                        u"-L"_s,           u"--location"_s};
        if (silent.contains(a)) {
            m_r.ignored << u"%1: display only, not needed here"_s.arg(a);
        } else if (a.startsWith(u'-')) {
            m_r.ignored << u"%1: not imported"_s.arg(a);
            // Options with a value we do not know would swallow the URL; guess by the next word.
            if (m_i + 1 < m_args.size() && !m_args[m_i + 1].startsWith(u'-') &&
                !m_args[m_i + 1].contains(u"://"_s))
                ++m_i;
        } else if (m_r.url.isEmpty()) {
            m_r.url = QUrl(a, QUrl::TolerantMode);
        } else {
            m_r.ignored << u"%1: a second URL is not imported"_s.arg(a);
        }
    }

    QStringList m_args;
    CurlImport &m_r;
    qsizetype m_i = 1;
    bool m_methodGiven = false;
    CurlRetryOptions m_retry;
};

} // namespace

CurlImport importCurl(const QString &command)
{
    CurlImport r;
    QStringList args;
    if (!shellSplit(command.trimmed(), &args, &r.error))
        return r;
    if (args.isEmpty() || args.front() != u"curl"_s) {
        r.error = u"this does not start with curl"_s;
        return r;
    }
    if (!CommandReader(args, r).read())
        return r;
    if (r.url.isEmpty()) {
        r.error = u"no URL in the command"_s;
        return r;
    }
    if (!r.url.isValid() || (r.url.scheme() != u"http"_s && r.url.scheme() != u"https"_s) ||
        r.url.host().isEmpty()) {
        r.error = u"'%1' is not an http:// or https:// URL"_s.arg(
            r.url.toString().isEmpty() ? r.url.errorString() : r.url.toString());
        return r;
    }
    r.ok = true;
    return r;
}

} // namespace retrylab
