#include "cli.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("facet"));
    QCoreApplication::setOrganizationName(QStringLiteral("FacetStudio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FACET_VERSION));

    // The CLI speaks the user's language when a translation is embedded; English otherwise, with the
    // English catalogue's plural forms ("1 item", not "1 item(s)"), also under the C locale.
    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("facet_studio"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || translator.load(QStringLiteral(":/i18n/facet_studio_en")))
        QCoreApplication::installTranslator(&translator);

    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    return facet::cli::run(args);
}
