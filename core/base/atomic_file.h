// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace retrylab {

// Writes `bytes` to `fileName` whole or not at all (QSaveFile: a temporary file renamed over
// the old one on success), so a crash or a full disk never leaves half a file behind. On
// failure `error` names the path and the reason: "FILE: cannot write: No space left on device".
bool writeFileAtomically(const QString &fileName, const QByteArray &bytes, QString *error);

// A file name made from a title that every file system takes: the characters Windows, macOS or
// a shell would refuse or misread (: / \ * ? " < > | and control characters) become '-' and a
// colon " - "; runs of them and of spaces shrink to one, and nothing is left at the ends.
// "Waits: Full jitter" becomes "Waits - Full jitter"; an empty result becomes "untitled".
QString fileNameFromTitle(const QString &title);
// The same name in lower case with '-' for spaces, for files that go together in one folder
// (the report's pictures): "Waits: Full jitter" becomes "waits-full-jitter".
QString slugFromTitle(const QString &title);

} // namespace retrylab
