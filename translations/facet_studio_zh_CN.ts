<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>facet</name>
    <message>
        <source>Query term &apos;-&apos;: nothing to negate after &apos;-&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: unterminated quote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: chars needs a number, as in chars:&lt;200, chars:&gt;=1000 or chars:500</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: unknown key &apos;%2:&apos; (known: %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: empty value after &apos;%2:&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: status must be pending, accepted or rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: image must be ok, missing, broken or none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: origin must be imported, human or model</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::ConversationHandler</name>
    <message>
        <source>it has no &quot;conversations&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has no gpt turn (no turn with &quot;from&quot;: &quot;gpt&quot; or &quot;assistant&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1 has &quot;from&quot; twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1 has &quot;value&quot; twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; appears twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the record is not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;id&quot; is neither a string nor a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;image&quot; is not a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;conversations&quot; is not an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1 is not an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1: &quot;from&quot; is not a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1: &quot;value&quot; is not a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1 has no &quot;from&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn %1 has no &quot;value&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the caption (turn %1) is %2 bytes long, more than the limit of %3 bytes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::Curation</name>
    <message>
        <source>Accept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 %n item(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Edit caption</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No item with internal id %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::Database</name>
    <message>
        <source>out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open project %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is locked by another program (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is damaged: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is read-only: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::Exporter</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record %1: its stored JSON has no conversation turn %2 to put the caption in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No output file given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refusing to export onto the project file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: it is a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n record(s) to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::FacetColors</name>
    <message>
        <source>World knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spatial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Art</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::ImageDecoder</name>
    <message>
        <source>empty file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not an image in a supported format (JPEG, PNG, WebP, BMP, TIFF)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GIF images are not supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>truncated or corrupt %1 data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image is %1×%2 pixels, over the %3 MP limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough memory to decode a %1×%2 image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no image path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tar member without a size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tar member at byte %1 lies beyond the end of the shard (%2 bytes); the shard is truncated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file is %1 MB, over the %2 MB limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the file: it ended after %1 of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported pixel layout (%1 channels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not enough memory to convert the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot convert the image: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::ImageRoot</name>
    <message>
        <source>the image path is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image path contains a NUL character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image path %1 is absolute and outside the image folder %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image path names the image folder itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image path %1 leaves the image folder %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the image path %1 names the image folder itself</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::JsonArraySplitter</name>
    <message>
        <source>cannot read the file at byte %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is empty; expected a JSON array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file ends at byte %1 inside record %2, which starts at byte %3 (truncated file?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file ends at byte %1 before the array is closed (truncated file?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file does not start with &apos;[&apos; (byte %1): it is not a JSON array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a comma is followed by &apos;]&apos; at byte %1 (trailing comma)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected &apos;,&apos; at byte %1 where a record should start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mismatched &apos;%1&apos; at byte %2 in record %3, which starts at byte %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;]&apos; after record %1 at byte %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected data after the end of the array at byte %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::JsonLinesSplitter</name>
    <message>
        <source>cannot read the file at byte %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::Project</name>
    <message>
        <source>No project at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a Facet Studio project (not an SQLite file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opened read-only on request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file or its folder is not writable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is empty and read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needs an upgrade but is read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open project %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::Query</name>
    <message>
        <source>Query term &apos;%1&apos;: empty phrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing selected: give --id, --filter or --all</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::RecordParser</name>
    <message>
        <source>invalid JSON: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::ShareCaptionerHandler</name>
    <message>
        <source>the object is empty; expected {&quot;&lt;image path&gt;&quot;: &quot;&lt;caption&gt;&quot;}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the object has more than one key; expected {&quot;&lt;image path&gt;&quot;: &quot;&lt;caption&gt;&quot;}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the record is not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the caption for %1 is not a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the caption is %1 bytes long, more than the limit of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::StatusColors</name>
    <message>
        <source>Accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::TarIndexer</name>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: out of memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the tar shard %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a tar file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the shard is damaged or truncated at byte %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a compressed tar (%2); decompress it first so that images can be read from it by offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the member is %1 bytes long, more than the limit of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the member: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::Verifier</name>
    <message>
        <source>%1 is open read-only, so verify cannot record which images are broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying images</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::cli::Arguments</name>
    <message>
        <source>unknown option %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>-o needs a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 takes no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 given twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 needs a value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown option --%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 must be a whole number from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::cli::Output</name>
    <message>
        <source>wrong number of arguments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is read-only (%2); nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the project and at least one source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown format %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--name applies to one source; give one source per import</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: no such file or folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1 is read-only (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: record %2%3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and %1 more skipped records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 records, skipped %2, %3 duplicates, %4 missing images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  missing under %1/: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--strict: nothing was imported because some records are bad</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project %1: %2 items, %3 caption versions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  status: %1 pending, %2 accepted, %3 rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  images: %1 ok, %2 missing, %3 broken, %4 without image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  source %1: %2 items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  facet %1: %2 sentences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 records shown (--limit 0 shows all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the project and one record id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No record with id %1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  [%2]  source %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reviewed by %1 at %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>versions:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>segments:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (undone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give exactly one of --accept, --reject, --reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing selected: give --id, --filter or --all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 records would change to %2 (dry run, nothing written)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 records changed to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give exactly one of --text, --text-file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the caption is empty; use `facet review --reject` to drop a record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Caption of %1 saved as version %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No actions yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (undone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the output file with -o</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown export format %1 (sharegpt4v or flat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1 records to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: facet COMMAND PROJECT [options]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 finished but something failed, 2 usage error or nothing done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give the project file first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usage: facet %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled; nothing of the unfinished work was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>internal error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>facet: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>facet::schema</name>
    <message>
        <source>%1 is an SQLite database but not a Facet Studio project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no schema version; it is not a Facet Studio project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has an invalid schema version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was written by a newer Facet Studio (schema %2, this version reads %3); it was not modified</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
