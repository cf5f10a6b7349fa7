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
    bool methodGiven = false;
    const auto value = [&args](qsizetype &i) -> std::optional<QString> {
        // --opt=value or --opt value; -Xvalue or -X value
        const QString a = args[i];
        if (a.startsWith(u"--"_s) && a.contains(u'='))
            return a.mid(a.indexOf(u'=') + 1);
        if (!a.startsWith(u"--"_s) && a.size() > 2)
            return a.mid(2);
        if (i + 1 >= args.size())
            return std::nullopt;
        return args[++i];
    };
    CurlRetryOptions retry;
    // A number of seconds (or of retries, `whole`) after an option; false with the reason.
    const auto number = [&](qsizetype &i, const QString &name, bool whole, double *out) {
        const auto v = value(i);
        bool ok = false;
        const double n = v ? (whole ? double(v->toInt(&ok)) : v->toDouble(&ok)) : 0;
        if (!ok || n < 0 || !std::isfinite(n) || n > 1e7) {
            r.error = u"%1 needs %2, got '%3'"_s.arg(
                name, whole ? u"a whole number"_s : u"a number of seconds"_s,
                v.value_or(QString()));
            return false;
        }
        *out = n;
        return true;
    };
    static const QStringList silent{u"-s"_s,           u"--silent"_s,  u"-S"_s,
                                    u"--show-error"_s, u"-v"_s,        u"--verbose"_s,
                                    u"-i"_s,           u"--include"_s, u"--compressed"_s,
                                    u"-L"_s,           u"--location"_s};
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString a = args[i];
        const QString name = a.startsWith(u"--"_s) ? a.section(u'=', 0, 0) : a.left(2);
        if (name == u"-X"_s || name == u"--request"_s) {
            const auto v = value(i);
            if (!v) {
                r.error = u"%1 needs a method"_s.arg(name);
                return r;
            }
            r.method = v->toUpper().toLatin1();
            if (!wire::isToken(r.method)) { // it goes into the request line as given
                r.error = u"%1 needs a method, got '%2'"_s.arg(name, *v);
                return r;
            }
            methodGiven = true;
        } else if (name == u"-H"_s || name == u"--header"_s) {
            const auto v = value(i);
            const qsizetype colon = v ? v->indexOf(u':') : -1;
            if (!v || colon <= 0) {
                r.error = u"%1 needs 'Name: value', got '%2'"_s.arg(name, v.value_or(QString()));
                return r;
            }
            const HeaderList::value_type header{v->left(colon).trimmed().toLatin1(),
                                                v->mid(colon + 1).trimmed().toUtf8()};
            // A line break inside quotes would put a second header (or a request) on the wire.
            QString why;
            if (!wire::validField(header.first, header.second, &why)) {
                r.error = u"%1: %2"_s.arg(name, why);
                return r;
            }
            r.headers.append(header);
        } else if (name == u"-d"_s || name == u"--data"_s || name == u"--data-raw"_s ||
                   name == u"--data-binary"_s || name == u"--json"_s || name == u"--data-ascii"_s) {
            const auto v = value(i);
            if (!v) {
                r.error = u"%1 needs data"_s.arg(name);
                return r;
            }
            if (v->startsWith(u'@') && name != u"--data-raw"_s) {
                r.ignored << u"%1 %2: reading a file is not imported; paste the body instead"_s.arg(
                    name, *v);
                continue;
            }
            if (!r.body.isEmpty())
                r.body += '&';
            r.body += v->toUtf8();
            if (name == u"--json"_s) {
                r.headers.emplaceBack("Content-Type", "application/json");
                r.headers.emplaceBack("Accept", "application/json");
            }
            if (!methodGiven)
                r.method = "POST";
        } else if (name == u"--retry"_s) {
            double n = 0;
            if (!number(i, name, true, &n))
                return r;
            retry.retries = int(n);
        } else if (name == u"--retry-delay"_s || name == u"--retry-max-time"_s || name == u"-m"_s ||
                   name == u"--max-time"_s) {
            double *field = name == u"--retry-delay"_s      ? &retry.delaySeconds
                            : name == u"--retry-max-time"_s ? &retry.maxTimeSeconds
                                                            : &retry.transferSeconds;
            if (!number(i, name, false, field))
                return r;
        } else if (a == u"--retry-all-errors"_s) {
            retry.allErrors = true;
        } else if (a == u"--retry-connrefused"_s) {
            retry.connectionRefused = true;
        } else if (a == u"-f"_s || a == u"--fail"_s || a == u"--fail-with-body"_s) {
            retry.failOnHttpError = true;
        } else if (name == u"-u"_s || name == u"--user"_s) {
            const auto v = value(i);
            if (!v || !v->contains(u':')) {
                r.error = u"%1 '%2': curl would ask for the password; write %1 user:password"_s.arg(
                    name, v.value_or(QString()));
                return r;
            }
            r.headers.emplaceBack("Authorization", "Basic " + v->toUtf8().toBase64());
        } else if (name == u"--url"_s) {
            const auto v = value(i);
            if (v)
                r.url = QUrl(*v, QUrl::TolerantMode);
        } else if (name == u"-I"_s || name == u"--head"_s) {
            r.method = "HEAD";
            methodGiven = true;
        } else if (name == u"-G"_s || name == u"--get"_s) {
            r.error = u"-G (data in the query string) is not supported: put it in the URL"_s;
            return r;
        } else if (silent.contains(a)) {
            r.ignored << u"%1: display only, not needed here"_s.arg(a);
        } else if (a.startsWith(u'-')) {
            r.ignored << u"%1: not imported"_s.arg(a);
            // Options with a value we do not know would swallow the URL; guess by the next word.
            if (i + 1 < args.size() && !args[i + 1].startsWith(u'-') &&
                !args[i + 1].contains(u"://"_s))
                ++i;
        } else if (r.url.isEmpty()) {
            r.url = QUrl(a, QUrl::TolerantMode);
        } else {
            r.ignored << u"%1: a second URL is not imported"_s.arg(a);
        }
    }
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
    if (retry.given()) {
        r.policy = curlRetryPolicy(retry);
        r.policyNote = describeCurlRetry(retry);
    }
    r.ok = true;
    return r;
}

} // namespace retrylab
