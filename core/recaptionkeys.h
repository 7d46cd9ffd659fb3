#pragma once

#include "recaption.h"

#include <QCoreApplication>
#include <QString>

namespace facet {

/**
 * Where API keys come from, and the one place that knows. Keys live in the environment or in the
 * OS keychain (QtKeychain: libsecret/KWallet on Linux, Keychain on macOS, Credential Store on
 * Windows; never a plain-text fallback) and are never written to the project, settings, logs,
 * exports or error messages.
 *
 * Lookup order (the environment wins so that scripts and CI never touch a keychain):
 * - openai: $OPENAI_API_KEY, then the keychain entry "openai";
 * - openai-compatible: $FACET_API_KEY, then the keychain entry for the endpoint ("endpoint:" +
 *   scheme://host:port); the key is optional (most local servers need none). $OPENAI_API_KEY is
 *   deliberately not used, so an OpenAI key never travels to another server by accident;
 * - ollama: $FACET_API_KEY (a proxy in front of Ollama may want one), else no key.
 * The keychain is skipped when $FACET_NO_KEYCHAIN is set. Keychain calls need a QCoreApplication
 * and run a local event loop for at most a few seconds; call them from the GUI or main thread.
 */
class ApiKeys final
{
    Q_DECLARE_TR_FUNCTIONS(facet::ApiKeys)

public:
    struct Found
    {
        QString key;    ///< empty when none was found
        QString origin; ///< "OPENAI_API_KEY", "FACET_API_KEY", "keychain" or empty
    };

    static Found lookup(ProviderKind provider, const QString& baseUrl);
    /** Whether a request to this provider cannot work without a key (only OpenAI's API). */
    static bool required(ProviderKind provider);

    /** Stores a key in the OS keychain; false with *error when there is no usable keychain. */
    static bool store(ProviderKind provider, const QString& baseUrl, const QString& key, QString* error);
    static bool remove(ProviderKind provider, const QString& baseUrl, QString* error);
    /** The keychain entry name used for a provider and endpoint. */
    static QString entryName(ProviderKind provider, const QString& baseUrl);
    /** Whether this build has keychain support at all. */
    static bool keychainBuiltIn();
};

/**
 * Removes secrets from text that may reach a user, a log or the project: every occurrence of
 * `key` (when at least 8 characters) and anything shaped like an OpenAI key (sk-…), replaced by
 * "[redacted]". Servers echo parts of a bad key in their 401 messages.
 */
QString redactSecrets(const QString& text, const QString& key);

} // namespace facet
