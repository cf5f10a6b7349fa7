// SPDX-License-Identifier: GPL-3.0-or-later
#include "locust_export_action.h"

#include "export/locust_export.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>

using namespace Qt::StringLiterals;

namespace retrylab {

void addLocustExport(QMenu *menu, QWidget *window,
                     std::function<std::optional<Scenario>()> currentScenario)
{
    QAction *action =
        menu->addAction(QObject::tr("Export for &Locust…"), window, [window, currentScenario] {
            const auto scenario = currentScenario();
            if (!scenario)
                return;
            const QString dir = QFileDialog::getExistingDirectory(
                window, QObject::tr("Export for Locust: the folder for locustfile.py"));
            if (dir.isEmpty())
                return;
            const LocustExport exporter(*scenario);
            QString error;
            if (exporter.write(dir, &error).isEmpty()) {
                QMessageBox::warning(window, QObject::tr("Not exported"), error);
                return;
            }
            QMessageBox box(QMessageBox::Information, QObject::tr("Exported for Locust"),
                            QObject::tr("Wrote locustfile.py and what it needs in %1. Run a "
                                        "master and two workers from there, then merge their "
                                        "logs (File → Open attempt log, several files):")
                                .arg(QDir::toNativeSeparators(dir)),
                            QMessageBox::Ok, window);
            box.setInformativeText(exporter.commands());
            box.setDetailedText(QObject::tr("What Locust cannot do as Retry Lab does:\n") +
                                u"- "_s + exporter.limitations().join(u"\n- "_s));
            box.exec();
        });
    action->setObjectName(u"exportLocust"_s);
    action->setToolTip(QObject::tr("Write the scenario as a Locust test to run on many machines"));
}

} // namespace retrylab
