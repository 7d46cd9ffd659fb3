<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>facet::Curation</name>
    <message numerus="yes">
        <source>%1 %n item(s)</source>
        <translation>
            <numerusform>%1 %n item</numerusform>
            <numerusform>%1 %n items</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::DetailPanel</name>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n character</numerusform>
            <numerusform>%n characters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::Exporter</name>
    <message numerus="yes">
        <source>Exported %n record(s) to %1</source>
        <translation>
            <numerusform>Exported %n record to %1</numerusform>
            <numerusform>Exported %n records to %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::FacetSections</name>
    <message numerus="yes">
        <source>%1: %n sentence(s)</source>
        <translation>
            <numerusform>%1: %n sentence</numerusform>
            <numerusform>%1: %n sentences</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… %n more cue(s) for it</source>
        <translation>
            <numerusform>… %n more cue for it</numerusform>
            <numerusform>… %n more cues for it</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::JobProgressWidget</name>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n s</numerusform>
            <numerusform>%n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::MainWindow</name>
    <message numerus="yes">
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln item</numerusform>
            <numerusform>%Ln items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s) in filter</source>
        <translation>
            <numerusform>%Ln item in filter</numerusform>
            <numerusform>%Ln items in filter</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Changed %n item(s)</source>
        <translation>
            <numerusform>Changed %n item</numerusform>
            <numerusform>Changed %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %Ln record(s)</source>
        <translation>
            <numerusform>Imported %Ln record</numerusform>
            <numerusform>Imported %Ln records</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Strict import: nothing was imported because %Ln record(s) are bad (see Issues)</source>
        <translation>
            <numerusform>Strict import: nothing was imported because %Ln record is bad (see Issues)</numerusform>
            <numerusform>Strict import: nothing was imported because %Ln records are bad (see Issues)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln more skipped record(s) are not listed</source>
        <translation>
            <numerusform>%Ln more skipped record is not listed</numerusform>
            <numerusform>%Ln more skipped records are not listed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) not found under this folder of the image root</source>
        <translation>
            <numerusform>%Ln image not found under this folder of the image root</numerusform>
            <numerusform>%Ln images not found under this folder of the image root</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Recomputed the facets of %Ln caption version(s).</source>
        <translation>
            <numerusform>Recomputed the facets of %Ln caption version.</numerusform>
            <numerusform>Recomputed the facets of %Ln caption versions.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::ProjectWorker</name>
    <message numerus="yes">
        <source>Accepted %n item(s)</source>
        <translation>
            <numerusform>Accepted %n item</numerusform>
            <numerusform>Accepted %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rejected %n item(s)</source>
        <translation>
            <numerusform>Rejected %n item</numerusform>
            <numerusform>Rejected %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reset %n item(s) to pending</source>
        <translation>
            <numerusform>Reset %n item to pending</numerusform>
            <numerusform>Reset %n items to pending</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::RecaptionDialog</name>
    <message numerus="yes">
        <source>%n model(s) on the server.</source>
        <translation>
            <numerusform>%n model on the server.</numerusform>
            <numerusform>%n models on the server.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The selection (%Ln item(s))</source>
        <translation>
            <numerusform>The selection (%Ln item)</numerusform>
            <numerusform>The selection (%Ln items)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything (%Ln item(s))</source>
        <translation>
            <numerusform>Everything (%Ln item)</numerusform>
            <numerusform>Everything (%Ln items)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything matching “%1” (%Ln item(s))</source>
        <translation>
            <numerusform>Everything matching “%1” (%Ln item)</numerusform>
            <numerusform>Everything matching “%1” (%Ln items)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) to send</source>
        <translation>
            <numerusform>%Ln image to send</numerusform>
            <numerusform>%Ln images to send</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%Ln item(s) without an image are skipped)</source>
        <translation>
            <numerusform> (%Ln item without an image is skipped)</numerusform>
            <numerusform> (%Ln items without an image are skipped)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::RecaptionRunner</name>
    <message numerus="yes">
        <source>gave up after %n attempt(s): %1</source>
        <translation>
            <numerusform>gave up after %n attempt: %1</numerusform>
            <numerusform>gave up after %n attempts: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::cli::Output</name>
    <message numerus="yes">
        <source>%Ln record(s) would change to %1 (dry run, nothing written)</source>
        <translation>
            <numerusform>%Ln record would change to %1 (dry run, nothing written)</numerusform>
            <numerusform>%Ln records would change to %1 (dry run, nothing written)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s) changed to %1</source>
        <translation>
            <numerusform>%Ln record changed to %1</numerusform>
            <numerusform>%Ln records changed to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) to recaption with %1</source>
        <translation>
            <numerusform>%Ln image to recaption with %1</numerusform>
            <numerusform>%Ln images to recaption with %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%Ln selected item(s) without an image)</source>
        <translation>
            <numerusform> (%Ln selected item without an image)</numerusform>
            <numerusform> (%Ln selected items without an image)</numerusform>
        </translation>
    </message>
</context>
</TS>
