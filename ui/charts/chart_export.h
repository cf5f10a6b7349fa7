// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

class QWidget;

namespace retrylab {

// Pictures of a chart as a person sees it: PNG from a grab of the widget, SVG by painting the
// widget into Qt's SVG generator. Files are written atomically.
QByteArray renderPng(QWidget *widget);
QByteArray renderSvg(QWidget *widget, const QString &title);
// Picks the format from the file name's suffix (.png or .svg).
bool saveChartImage(QWidget *widget, const QString &fileName, const QString &title, QString *error);

} // namespace retrylab
