// SPDX-License-Identifier: GPL-3.0-or-later
#include "atomic_file.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace retrylab {

QString fileNameFromTitle(const QString &title)
{
    static const QString refused = u":/\\*?\"<>|"_s;
    QString out;
    out.reserve(title.size());
    for (const QChar c : title) {
        const bool bad = c.unicode() < 0x20 || c.unicode() == 0x7f || refused.contains(c);
        if (c == u':')
            out += u" - "_s; // "Waits: Full jitter" reads "Waits - Full jitter"
        else
            out += bad ? u'-' : c;
    }
    out = out.simplified();
    while (out.contains(u"--"_s))
        out.replace(u"--"_s, u"-"_s);
    while (!out.isEmpty() && (out.front() == u'-' || out.front() == u'.' || out.front() == u' '))
        out.remove(0, 1);
    while (!out.isEmpty() && (out.back() == u'-' || out.back() == u'.' || out.back() == u' '))
        out.chop(1);
    return out.isEmpty() ? u"untitled"_s : out;
}

QString slugFromTitle(const QString &title)
{
    QString out = fileNameFromTitle(title).toLower();
    out.replace(u' ', u'-');
    while (out.contains(u"--"_s))
        out.replace(u"--"_s, u"-"_s);
    return out;
}

bool writeFileAtomically(const QString &fileName, const QByteArray &bytes, QString *error)
{
    QSaveFile file(fileName);
    if (file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit())
        return true;
    if (error)
        *error = u"%1: cannot write: %2"_s.arg(fileName, file.errorString());
    return false;
}

} // namespace retrylab
