// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer: bytes as a scenario file. A scenario that loads has only headers that can go on
// the wire as given, and saves to JSON that loads again to the same scenario; one that does not
// load says what is wrong and where.
#include "http/wire/message_writer.h"
#include "scenario/scenario.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdlib>

using namespace retrylab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0;
    FieldProblems problems;
    const auto scenario = Scenario::fromJson(doc.object(), &problems);
    if (!scenario) {
        if (problems.isEmpty())
            std::abort(); // refused without saying why
        return 0;
    }
    for (const auto &[name, value] : scenario->headers)
        if (!wire::validField(name, value))
            std::abort(); // would split into two header lines on the wire
    FieldProblems again;
    const auto back = Scenario::fromJson(scenario->toJson(), &again);
    if (!back || back->toJson() != scenario->toJson())
        std::abort(); // what was saved does not load back as itself
    return 0;
}
