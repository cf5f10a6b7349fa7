// SPDX-License-Identifier: GPL-3.0-or-later
#include "duration_edit.h"

using namespace Qt::StringLiterals;

namespace retrylab {

DurationEdit::DurationEdit(QWidget *parent)
    : QLineEdit(parent) {
    setPlaceholderText(u"e.g. 250 ms, 2 s"_s);
    setClearButtonEnabled(false);
}

void DurationEdit::setDuration(Duration d) {
    setText(formatDuration(d));
}

std::optional<Duration> DurationEdit::duration() const {
    return parseDuration(text()).value;
}

QString DurationEdit::error() const {
    return parseDuration(text()).error;
}

} // namespace retrylab
