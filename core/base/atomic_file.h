// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace retrylab {

// Writes `bytes` to `fileName` whole or not at all (QSaveFile: a temporary file renamed over
// the old one on success), so a crash or a full disk never leaves half a file behind. On
// failure `error` names the path and the reason: "FILE: cannot write: No space left on device".
bool writeFileAtomically(const QString &fileName, const QByteArray &bytes, QString *error);

} // namespace retrylab
