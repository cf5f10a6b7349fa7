// SPDX-License-Identifier: GPL-3.0-or-later
#include "duration_edit.h"

using namespace Qt::StringLiterals;

namespace retrylab {

DurationEdit::DurationEdit(QWidget *parent)
    : QLineEdit(parent)
{
    setPlaceholderText(tr("e.g. 250 ms, 2 s"));
}

void DurationEdit::setZeroText(const QString &text)
{
    m_zeroText = text;
    setPlaceholderText(tr("e.g. 250 ms, 2 s, or %1").arg(text));
}

void DurationEdit::setDuration(Duration d)
{
    setText(d == Duration::zero() && !m_zeroText.isEmpty() ? m_zeroText : formatDuration(d));
}

bool DurationEdit::isZeroText() const
{
    return !m_zeroText.isEmpty() && text().trimmed().compare(m_zeroText, Qt::CaseInsensitive) == 0;
}

std::optional<Duration> DurationEdit::duration() const
{
    if (isZeroText())
        return Duration::zero();
    return parseDuration(text()).value;
}

QString DurationEdit::error() const
{
    if (isZeroText())
        return {};
    return parseDuration(text()).error;
}

void DurationEdit::readInto(Duration &out, FieldProblems &problems) const
{
    if (const auto d = duration())
        out = *d;
    else
        problems.append({objectName(), error()});
}

} // namespace retrylab
