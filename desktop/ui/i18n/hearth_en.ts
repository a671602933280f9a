<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>DocumentsController</name>
    <message numerus="yes">
        <location filename="../documents_controller.py" line="360"/>
        <source>ready · %n chunks</source>
        <translation>
            <numerusform>ready · %n chunk</numerusform>
            <numerusform>ready · %n chunks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message numerus="yes">
        <location filename="../drop_overlay.py" line="47"/>
        <source>%n items into the knowledge base “%1”</source>
        <translation>
            <numerusform>%n item into the knowledge base “%1”</numerusform>
            <numerusform>%n items into the knowledge base “%1”</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IngestPanel</name>
    <message numerus="yes">
        <location filename="../ingest_panel.py" line="100"/>
        <source>Indexing: %1 of %n files</source>
        <translation>
            <numerusform>Indexing: %1 of %n file</numerusform>
            <numerusform>Indexing: %1 of %n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message numerus="yes">
        <location filename="../admin.py" line="91"/>
        <source>Connected: %n cloud models</source>
        <translation>
            <numerusform>Connected: %n cloud model</numerusform>
            <numerusform>Connected: %n cloud models</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message numerus="yes">
        <location filename="../settings_dialog.py" line="314"/>
        <source>Connected: Ollama %1, %2 ms, %n models</source>
        <translation>
            <numerusform>Connected: Ollama %1, %2 ms, %n model</numerusform>
            <numerusform>Connected: Ollama %1, %2 ms, %n models</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message numerus="yes">
        <location filename="../sidebar.py" line="401"/>
        <location filename="../sidebar.py" line="533"/>
        <source>%n documents</source>
        <translation>
            <numerusform>%n document</numerusform>
            <numerusform>%n documents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="402"/>
        <location filename="../sidebar.py" line="599"/>
        <source>%n chunks</source>
        <translation>
            <numerusform>%n chunk</numerusform>
            <numerusform>%n chunks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="579"/>
        <source>low confidence on pages %1</source>
        <translation>
            <numerusform>low confidence on page %1</numerusform>
            <numerusform>low confidence on pages %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message numerus="yes">
        <location filename="../welcome_dialog.py" line="84"/>
        <source>Found Ollama %1 at %2 with %n models.</source>
        <translation>
            <numerusform>Found Ollama %1 at %2 with %n model.</numerusform>
            <numerusform>Found Ollama %1 at %2 with %n models.</numerusform>
        </translation>
    </message>
</context>
</TS>
