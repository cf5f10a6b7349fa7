// SPDX-License-Identifier: GPL-3.0-or-later
#include "atomic_file.h"

#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace retrylab {

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
