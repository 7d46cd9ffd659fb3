#pragma once

#include <QString>

#include <stdexcept>

namespace facet {

/** An error whose message is already fit to show a user: it names the file, record and reason. */
class Error : public std::runtime_error
{
public:
    explicit Error(const QString& message)
        : std::runtime_error(message.toStdString())
        , m_message(message)
    {
    }
    const QString& message() const noexcept { return m_message; }

private:
    QString m_message;
};

/** The project cannot be used at all: locked, corrupt, newer schema, unreadable. CLI exit status 2. */
class ProjectError final : public Error
{
public:
    using Error::Error;
};

} // namespace facet

namespace facet {

/** Thrown by long work when its Progress::cancel flag was set; nothing of the work is committed. */
class Cancelled final : public Error
{
public:
    Cancelled()
        : Error(QStringLiteral("Cancelled"))
    {
    }
};

} // namespace facet
