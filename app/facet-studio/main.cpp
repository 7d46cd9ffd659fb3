#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

namespace {

/**
 * Installs Qt's own translations and the application's, for the system locale. The application
 * catalogue is embedded as :/i18n/facet_studio_<locale>.qm when translations are built; when there
 * is none for the locale the strings stay in English (with the English plural catalogue).
 */
void installTranslators(QApplication& app)
{
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    // Without a catalogue for the locale (the C locale, or a language not translated yet) the text
    // is English, so it takes the English catalogue's plural forms: "1 item", not "1 item(s)".
    auto* own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("facet_studio"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || own->load(QStringLiteral(":/i18n/facet_studio_en")))
        QCoreApplication::installTranslator(own);
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("FacetStudio"));
    QCoreApplication::setApplicationName(QStringLiteral("Facet Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FACET_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.facetstudio.FacetStudio"));
    installTranslators(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Review, edit and export ShareGPT4V-style image-caption datasets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption readOnly(
        QStringLiteral("read-only"),
        QCoreApplication::translate("main", "Open the project for browsing only: no review, edits or imports."));
    parser.addOption(readOnly);
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QCoreApplication::translate("main", "The project file (.facet) to open."),
                                 QStringLiteral("[PROJECT]"));
    parser.process(app);

    facet::MainWindow window;
    const QStringList args = parser.positionalArguments();
    if (!args.isEmpty()) {
        // An error (no such file, not a project) is shown in the window, which stays open.
        window.openProject(args.first(), nullptr, parser.isSet(readOnly));
    } else {
        const QString last = QSettings().value(QStringLiteral("project/last")).toString();
        if (!last.isEmpty() && QFileInfo::exists(last))
            window.openProject(last);
    }
    window.show();
    return QApplication::exec();
}
