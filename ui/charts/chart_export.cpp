// SPDX-License-Identifier: GPL-3.0-or-later
#include "chart_export.h"

#include "base/atomic_file.h"

#include <QBuffer>
#include <QFileInfo>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

using namespace Qt::StringLiterals;

namespace retrylab {

QByteArray renderPng(QWidget *widget)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    widget->grab().save(&buffer, "PNG");
    return bytes;
}

QByteArray renderSvg(QWidget *widget, const QString &title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(widget->size());
    svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
    svg.setTitle(title);
    svg.setDescription(u"Retry Lab"_s);
    QPainter painter(&svg);
    widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
    painter.end();
    return bytes;
}

bool saveChartImage(QWidget *widget, const QString &fileName, const QString &title, QString *error)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    QByteArray bytes;
    if (suffix == u"png"_s) {
        bytes = renderPng(widget);
    } else if (suffix == u"svg"_s) {
        bytes = renderSvg(widget, title);
    } else {
        if (error)
            *error = u"%1: the file name must end in .png or .svg"_s.arg(fileName);
        return false;
    }
    return writeFileAtomically(fileName, bytes, error);
}

} // namespace retrylab
