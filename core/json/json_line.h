// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QStringView>

namespace retrylab {

// Writes JSON straight into a byte buffer, value by value, in the order called: the attempt
// log's hot path, where a QJsonObject per record, serialised by QJsonDocument, cost the run's
// worker thread more than either engine shard (core/log/README.md, "JSON Lines"). Strings are
// escaped as RFC 8259 asks and written as UTF-8; what it writes reads back with QJsonDocument.
// Keys are written as given: the caller keeps them in the order it wants (the log sorts them,
// as QJsonDocument did).
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray &out)
        : m_out(out)
    {}

    JsonWriter &beginObject() { return open('{'); }
    JsonWriter &endObject() { return close('}'); }
    JsonWriter &beginArray() { return open('['); }
    JsonWriter &endArray() { return close(']'); }
    JsonWriter &key(const char *name); // ASCII, nothing to escape

    JsonWriter &value(QStringView s);     // a literal: QStringView(u"..."), not a pointer
    JsonWriter &latin1(QByteArrayView s); // bytes that are Latin-1 text (header fields)
    JsonWriter &value(qint64 n);
    JsonWriter &value(bool b);
    JsonWriter &value(const char16_t *) = delete; // would be taken for a bool
    // Microseconds as milliseconds with up to three decimals, exactly: 18459 -> 18.459.
    JsonWriter &millis(qint64 us);
    // Values this class wrote before, comma-separated ("1,2"), as the next ones at this level:
    // a fragment written once and repeated.
    JsonWriter &elements(QByteArrayView json);

private:
    void separate();
    JsonWriter &open(char bracket);
    JsonWriter &close(char bracket);

    QByteArray &m_out;
    bool m_comma = false; // a value was written at this level: the next one needs a comma
};

} // namespace retrylab
