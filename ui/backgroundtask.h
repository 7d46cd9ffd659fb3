#pragma once

#include "error.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace facet {

/**
 * Runs `work` on the global thread pool (never on the GUI thread: it may run SQL or wait on the
 * network) and hands its result, or the message of what it threw, to `done` on the GUI thread.
 * `done` is dropped when `receiver` was deleted meanwhile, so a closed dialog is never called back.
 * Work that needs the project opens its own connection (SQLite connections are per thread).
 */
template <typename Work, typename Done> void runInBackground(QObject* receiver, Work work, Done done)
{
    using Result = std::invoke_result_t<Work&>;
    QPointer<QObject> guard(receiver);
    QThreadPool::globalInstance()->start([guard, work = std::move(work), done = std::move(done)]() mutable {
        std::optional<Result> result;
        QString error;
        try {
            result = work();
        } catch (const Error& e) {
            error = e.message();
        } catch (const std::exception& e) {
            error = QString::fromLocal8Bit(e.what());
        }
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done = std::move(done), result = std::move(result), error]() mutable {
                if (guard)
                    done(std::move(result), error);
            },
            Qt::QueuedConnection);
    });
}

} // namespace facet
