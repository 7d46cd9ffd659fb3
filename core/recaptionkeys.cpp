#include "recaptionkeys.h"

#include <QEventLoop>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

#include <functional>

#ifdef FACET_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace facet {

using namespace Qt::Literals::StringLiterals;

namespace {

constexpr const char* kService = "facet-studio";
constexpr int kKeychainTimeoutMs = 5000;

QString env(const char* name)
{
    return qEnvironmentVariable(name).trimmed();
}

bool keychainDisabled()
{
    return !qEnvironmentVariableIsEmpty("FACET_NO_KEYCHAIN");
}

#ifdef FACET_HAVE_QTKEYCHAIN
/**
 * Runs a keychain job to completion with a bounded wait; returns the job's error string or empty.
 * `onSuccess` sees the finished job before it is deleted.
 */
QString runJob(QKeychain::Job* job, const std::function<void(QKeychain::Job*)>& onSuccess = {})
{
    if (!QCoreApplication::instance()) {
        delete job;
        return ApiKeys::tr("no application object for the keychain");
    }
    job->setAutoDelete(false);
    job->setInsecureFallback(false); // never a plain-text file
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&finished, &loop] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished)
        loop.exec();
    if (!finished) {
        // The job may still call back later; it deletes itself then and nothing here listens.
        QObject::disconnect(job, nullptr, &loop, nullptr);
        job->setAutoDelete(true);
        return ApiKeys::tr("the keychain did not answer");
    }
    const QString error = job->error() == QKeychain::NoError ? QString() : job->errorString();
    if (error.isEmpty() && onSuccess)
        onSuccess(job);
    job->deleteLater();
    return error;
}
#endif

QString readKeychain(const QString& entry)
{
#ifdef FACET_HAVE_QTKEYCHAIN
    if (keychainDisabled())
        return {};
    auto* job = new QKeychain::ReadPasswordJob(QLatin1String(kService));
    job->setKey(entry);
    QString value;
    runJob(job, [&value](QKeychain::Job* j) { value = static_cast<QKeychain::ReadPasswordJob*>(j)->textData(); });
    return value.trimmed();
#else
    Q_UNUSED(entry);
    return {};
#endif
}

} // namespace

QString ApiKeys::entryName(ProviderKind provider, const QString& baseUrl)
{
    if (provider == ProviderKind::OpenAi)
        return u"openai"_s;
    const QUrl url(baseUrl.isEmpty() ? defaultBaseUrl(provider) : baseUrl);
    const int port = url.port(url.scheme() == u"https"_s ? 443 : 80);
    return u"endpoint:"_s + url.scheme() + u"://"_s + url.host() + u":"_s + QString::number(port);
}

bool ApiKeys::required(ProviderKind provider)
{
    return provider == ProviderKind::OpenAi;
}

bool ApiKeys::keychainBuiltIn()
{
#ifdef FACET_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

ApiKeys::Found ApiKeys::lookup(ProviderKind provider, const QString& baseUrl)
{
    Found f;
    auto fromEnv = [&f](const char* name) {
        const QString v = env(name);
        if (v.isEmpty())
            return false;
        f.key = v;
        f.origin = QLatin1String(name);
        return true;
    };
    switch (provider) {
    case ProviderKind::OpenAi:
        if (fromEnv("OPENAI_API_KEY"))
            return f;
        break;
    case ProviderKind::OpenAiCompatible:
        // Not $OPENAI_API_KEY: an OpenAI key must never travel to some other server by accident.
        if (fromEnv("FACET_API_KEY"))
            return f;
        break;
    case ProviderKind::Ollama:
        fromEnv("FACET_API_KEY");
        return f;
    }
    const QString stored = readKeychain(entryName(provider, baseUrl));
    if (!stored.isEmpty()) {
        f.key = stored;
        f.origin = u"keychain"_s;
    }
    return f;
}

bool ApiKeys::store(ProviderKind provider, const QString& baseUrl, const QString& key, QString* error)
{
#ifdef FACET_HAVE_QTKEYCHAIN
    auto* job = new QKeychain::WritePasswordJob(QLatin1String(kService));
    job->setKey(entryName(provider, baseUrl));
    job->setTextData(key);
    const QString e = runJob(job);
    if (error)
        *error = e;
    return e.isEmpty();
#else
    Q_UNUSED(provider);
    Q_UNUSED(baseUrl);
    Q_UNUSED(key);
    if (error)
        *error = tr("this build has no keychain support; set the key in the environment");
    return false;
#endif
}

bool ApiKeys::remove(ProviderKind provider, const QString& baseUrl, QString* error)
{
#ifdef FACET_HAVE_QTKEYCHAIN
    auto* job = new QKeychain::DeletePasswordJob(QLatin1String(kService));
    job->setKey(entryName(provider, baseUrl));
    const QString e = runJob(job);
    if (error)
        *error = e;
    return e.isEmpty();
#else
    Q_UNUSED(provider);
    Q_UNUSED(baseUrl);
    if (error)
        *error = tr("this build has no keychain support");
    return false;
#endif
}

QString redactSecrets(const QString& text, const QString& key)
{
    QString out = text;
    const QString k = key.trimmed();
    if (k.size() >= 8)
        out.replace(k, u"[redacted]"_s);
    // OpenAI-shaped keys (sk-..., sk-proj-...), including the partly masked echo in 401 messages.
    static const QRegularExpression openAiKey(u"sk-[A-Za-z0-9_*\\-]{6,}"_s);
    out.replace(openAiKey, u"[redacted]"_s);
    // Bearer tokens of any shape, should a server echo the header.
    static const QRegularExpression bearer(u"(Bearer\\s+)[^\\s\"']+"_s, QRegularExpression::CaseInsensitiveOption);
    out.replace(bearer, u"\\1[redacted]"_s);
    return out;
}

} // namespace facet
