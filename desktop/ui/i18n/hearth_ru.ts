<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>ChatController</name>
    <message>
        <location filename="../chat_controller.py" line="188"/>
        <source>Searching your documents…</source>
        <translation>Ищем в ваших документах…</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="209"/>
        <location filename="../chat_controller.py" line="211"/>
        <source>Stopped.</source>
        <translation>Остановлено.</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="231"/>
        <source>Waiting for the model to answer…</source>
        <translation>Ждём ответа модели…</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="233"/>
        <source>Still waiting for the model: one that is loading into memory can take a minute. Esc stops.</source>
        <translation>Всё ещё ждём модель: загрузка модели в память может занять минуту. Esc — остановить.</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="240"/>
        <source>Reading part %1 of %2…</source>
        <translation>Читаем часть %1 из %2…</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="242"/>
        <source>Combining the notes: %1 of %2…</source>
        <translation>Сводим заметки: %1 из %2…</translation>
    </message>
</context>
<context>
    <name>ChatDocument</name>
    <message>
        <location filename="../render.py" line="409"/>
        <source>code</source>
        <translation>код</translation>
    </message>
    <message>
        <location filename="../render.py" line="416"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat_view.py" line="116"/>
        <location filename="../chat_view.py" line="320"/>
        <source>Conversation</source>
        <translation>Беседа</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="139"/>
        <location filename="../chat_view.py" line="322"/>
        <source>Ask a question… (Enter sends, Shift+Enter adds a line)</source>
        <translation>Задайте вопрос… (Enter — отправить, Shift+Enter — новая строка)</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="141"/>
        <location filename="../chat_view.py" line="324"/>
        <source>Question</source>
        <translation>Вопрос</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="148"/>
        <location filename="../chat_view.py" line="325"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="150"/>
        <location filename="../chat_view.py" line="326"/>
        <source>Send question</source>
        <translation>Отправить вопрос</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="152"/>
        <location filename="../chat_view.py" line="327"/>
        <source>Stop</source>
        <translation>Стоп</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="153"/>
        <location filename="../chat_view.py" line="328"/>
        <source>Stop the answer</source>
        <translation>Остановить ответ</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="154"/>
        <location filename="../chat_view.py" line="329"/>
        <source>Stop the answer (Esc)</source>
        <translation>Остановить ответ (Esc)</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="393"/>
        <source>Editing a question: Enter resends it</source>
        <translation>Редактирование вопроса: Enter отправит его заново</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="699"/>
        <source>OCR</source>
        <translation>OCR</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="706"/>
        <source>Stopped.</source>
        <translation>Остановлено.</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="272"/>
        <location filename="../chat_view.py" line="603"/>
        <source>Edit</source>
        <translation>Изменить</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="266"/>
        <location filename="../chat_view.py" line="605"/>
        <location filename="../chat_view.py" line="682"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="611"/>
        <source>Thinking</source>
        <translation>Размышления</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="635"/>
        <source>Sources</source>
        <translation>Источники</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="650"/>
        <source>Also searched (%1)</source>
        <translation>Также найдено (%1)</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="697"/>
        <source>p. %1</source>
        <translation>с. %1</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="671"/>
        <source>Cloud</source>
        <translation>Облако</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="674"/>
        <source>%1 tokens/s</source>
        <translation>%1 токенов/с</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="268"/>
        <location filename="../chat_view.py" line="684"/>
        <source>Regenerate</source>
        <translation>Ответить заново</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="270"/>
        <location filename="../chat_view.py" line="708"/>
        <location filename="../chat_view.py" line="728"/>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="267"/>
        <source>Copy the answer</source>
        <translation>Копировать ответ</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="269"/>
        <source>Write the answer again</source>
        <translation>Написать ответ заново</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="271"/>
        <source>Try the failed answer again</source>
        <translation>Повторить неудавшийся ответ</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="273"/>
        <source>Edit the question and send it again</source>
        <translation>Изменить вопрос и отправить снова</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="294"/>
        <source>Sources (%1)</source>
        <translation>Источники (%1)</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="214"/>
        <source>Comparing: %1</source>
        <translation>Сравнение: %1</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="216"/>
        <source>About: %1</source>
        <translation>О документе: %1</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="221"/>
        <source>Ask the whole knowledge base again</source>
        <translation>Снова спрашивать по всей базе знаний</translation>
    </message>
</context>
<context>
    <name>DocumentsController</name>
    <message>
        <location filename="../documents_controller.py" line="175"/>
        <source>Waiting for the other Hearth process to finish…</source>
        <translation>Ждём, пока другой процесс Hearth закончит работу…</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="180"/>
        <source>The other Hearth process has finished.</source>
        <translation>Другой процесс Hearth закончил работу.</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="327"/>
        <source>Indexing cancelled; finished files were kept.</source>
        <translation>Индексация отменена; готовые файлы сохранены.</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="285"/>
        <source>Re-embedding “%1” with the new embedding model…</source>
        <translation>Пересчёт эмбеддингов «%1» новой моделью…</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="290"/>
        <source>Re-embedding finished.</source>
        <translation>Пересчёт эмбеддингов завершён.</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="350"/>
        <source>queued</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="352"/>
        <source>reading</source>
        <translation>чтение</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="358"/>
        <source>embedding %1%</source>
        <translation>эмбеддинги %1%</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="362"/>
        <source>unchanged</source>
        <translation>без изменений</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="365"/>
        <source>failed: %1</source>
        <translation>ошибка: %1</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="366"/>
        <source>removed (file is gone)</source>
        <translation>удалён (файла больше нет)</translation>
    </message>
    <message numerus="yes">
        <location filename="../documents_controller.py" line="360"/>
        <source>ready · %n chunks</source>
        <translation>
            <numerusform>готово · %n фрагмент</numerusform>
            <numerusform>готово · %n фрагмента</numerusform>
            <numerusform>готово · %n фрагментов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="337"/>
        <source>%1 ready</source>
        <translation>готово: %1</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="338"/>
        <source>%1 unchanged</source>
        <translation>без изменений: %1</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="339"/>
        <source>%1 failed</source>
        <translation>с ошибкой: %1</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="344"/>
        <source>No documents to index were found.</source>
        <translation>Документов для индексации не найдено.</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="345"/>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="354"/>
        <source>reading by OCR: page %1 of %2</source>
        <translation>распознавание (OCR): страница %1 из %2</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <location filename="../drop_overlay.py" line="27"/>
        <location filename="../drop_overlay.py" line="42"/>
        <source>Drop to add</source>
        <translation>Отпустите, чтобы добавить</translation>
    </message>
    <message numerus="yes">
        <location filename="../drop_overlay.py" line="47"/>
        <source>%n items into the knowledge base “%1”</source>
        <translation>
            <numerusform>%n объект — в базу знаний «%1»</numerusform>
            <numerusform>%n объекта — в базу знаний «%1»</numerusform>
            <numerusform>%n объектов — в базу знаний «%1»</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../empty_state.py" line="71"/>
        <source>No model can answer yet</source>
        <translation>Пока ни одна модель не может ответить</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="74"/>
        <source>Start Ollama on this computer (ollama serve) and pull a model, or add an Ollama Cloud API key in Settings.</source>
        <translation>Запустите Ollama на этом компьютере (ollama serve) и загрузите модель или добавьте API-ключ Ollama Cloud в настройках.</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="78"/>
        <source>Open settings</source>
        <translation>Открыть настройки</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="81"/>
        <source>Ask about your documents</source>
        <translation>Спросите о своих документах</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="82"/>
        <source>Answers cite the passages they use. Press Enter to send.</source>
        <translation>Ответы ссылаются на использованные фрагменты. Enter — отправить.</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="68"/>
        <location filename="../empty_state.py" line="83"/>
        <location filename="../empty_state.py" line="93"/>
        <source>Add documents…</source>
        <translation>Добавить документы…</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="61"/>
        <source>Indexing your documents…</source>
        <translation>Документы индексируются…</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="64"/>
        <source>You can ask as soon as the first ones are ready; the progress is under the list on the left.</source>
        <translation>Спрашивать можно, как только будут готовы первые из них; ход индексации виден под списком слева.</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="86"/>
        <source>Drop documents here to begin</source>
        <translation>Перетащите сюда документы, чтобы начать</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="89"/>
        <source>Drag files or folders anywhere onto this window, or use Add. PDF, Word, Markdown, text, HTML and more are indexed on this computer.</source>
        <translation>Перетащите файлы или папки в любое место окна или нажмите «Добавить». PDF, Word, Markdown, текст, HTML и другие форматы индексируются на этом компьютере.</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <location filename="../error_text.py" line="65"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="66"/>
        <source>Local Ollama</source>
        <translation>Локальный Ollama</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="81"/>
        <source>%1 is not reachable.</source>
        <translation>%1 недоступен.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="82"/>
        <source>Check that it runs and that its address in Settings is right.</source>
        <translation>Проверьте, что он запущен и что его адрес в настройках верен.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="88"/>
        <source>%1 did not answer in time.</source>
        <translation>%1 не ответил вовремя.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="89"/>
        <source>The model may still be loading; try again, or raise the timeout in Settings.</source>
        <translation>Модель, возможно, ещё загружается; попробуйте снова или увеличьте время ожидания в настройках.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="96"/>
        <source>Ollama Cloud did not accept the API key.</source>
        <translation>Ollama Cloud не принял ключ API.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="101"/>
        <source>The cloud model %1 needs a paid Ollama plan.</source>
        <translation>Облачной модели %1 нужен платный тариф Ollama.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="102"/>
        <source>Choose another cloud model, or change the plan on ollama.com.</source>
        <translation>Выберите другую облачную модель или смените тариф на ollama.com.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="108"/>
        <source>Ollama Cloud is overloaded right now.</source>
        <translation>Ollama Cloud сейчас перегружен.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="109"/>
        <location filename="../error_text.py" line="114"/>
        <source>Try again in a moment.</source>
        <translation>Попробуйте снова через минуту.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="113"/>
        <source>Local Ollama is busy with other requests.</source>
        <translation>Локальный Ollama занят другими запросами.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="118"/>
        <source>%1 broke off the answer.</source>
        <translation>%1 прервал ответ.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="119"/>
        <source>What had arrived is kept; ask again to get a whole answer.</source>
        <translation>Полученная часть сохранена; спросите снова, чтобы получить ответ целиком.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="125"/>
        <source>%1 refused the request.</source>
        <translation>%1 отклонил запрос.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="126"/>
        <source>Try another model.</source>
        <translation>Попробуйте другую модель.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="130"/>
        <source>%1 failed unexpectedly.</source>
        <translation>%1 неожиданно дал сбой.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="131"/>
        <source>Try again; if it keeps failing, restart Ollama.</source>
        <translation>Попробуйте снова; если ошибка повторяется, перезапустите Ollama.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="135"/>
        <source>This answer may not be sent to Ollama Cloud.</source>
        <translation>Этот ответ нельзя отправлять в Ollama Cloud.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="136"/>
        <source>Answer with local Ollama, or turn the cloud on in Settings; a knowledge base kept on this computer is never sent.</source>
        <translation>Отвечайте с помощью локального Ollama или включите облако в настройках; база знаний, которая хранится только на этом компьютере, никогда не отправляется.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="144"/>
        <source>This computer has no safe place to keep the API key.</source>
        <translation>На этом компьютере нет надёжного места для хранения ключа API.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="97"/>
        <source>Check the key in Settings, Connections.</source>
        <translation>Проверьте ключ в настройках, раздел «Подключения».</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="145"/>
        <source>In Settings, Connections, keep the API key in a private file.</source>
        <translation>В настройках, раздел «Подключения», включите хранение ключа API в личном файле.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="151"/>
        <source>%1 is of a type Hearth cannot read.</source>
        <translation>Hearth не умеет читать файлы такого типа, как %1.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="152"/>
        <source>Save it as PDF, Word or text and add it again.</source>
        <translation>Сохраните его как PDF, Word или текст и добавьте снова.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="156"/>
        <source>%1 is damaged or is not what its name says.</source>
        <translation>Файл %1 повреждён или не соответствует своему расширению.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="157"/>
        <source>Open it in its own program, save a new copy and add that.</source>
        <translation>Откройте его в родной программе, сохраните новую копию и добавьте её.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="161"/>
        <source>%1 is protected by a password.</source>
        <translation>Файл %1 защищён паролем.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="162"/>
        <source>Save a copy without the password and add that.</source>
        <translation>Сохраните копию без пароля и добавьте её.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="166"/>
        <source>%1 has no text that can be read.</source>
        <translation>В файле %1 нет текста, который можно прочитать.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="167"/>
        <source>Add a copy with a text layer.</source>
        <translation>Добавьте копию с текстовым слоем.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="171"/>
        <source>%1 is larger than the size limit.</source>
        <translation>Файл %1 больше допустимого размера.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="172"/>
        <source>Raise the limit in Settings, or split the file.</source>
        <translation>Увеличьте ограничение в настройках или разделите файл.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="176"/>
        <source>%1 could not be opened.</source>
        <translation>Не удалось открыть файл %1.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="177"/>
        <source>Check that it still exists and that you may read it.</source>
        <translation>Проверьте, что файл ещё существует и у вас есть право его читать.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="181"/>
        <source>This knowledge base was built with an embedder that is not available.</source>
        <translation>Эта база знаний создана моделью эмбеддингов, которая сейчас недоступна.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="184"/>
        <source>Re-index it, or choose its embedder again in Settings.</source>
        <translation>Переиндексируйте её или снова выберите её модель эмбеддингов в настройках.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="188"/>
        <source>Another Hearth process is changing the knowledge store.</source>
        <translation>Другой процесс Hearth сейчас изменяет хранилище знаний.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="189"/>
        <source>Wait until it has finished, then try again.</source>
        <translation>Дождитесь его завершения и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="193"/>
        <source>Hearth&apos;s indexing process stopped; what it was doing was not finished.</source>
        <translation>Процесс индексации Hearth остановился; начатое им не завершено.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="196"/>
        <source>It starts again by itself at the next request and indexes the files it had not finished.</source>
        <translation>Он сам запустится снова при следующем запросе и проиндексирует файлы, которые не успел обработать.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="204"/>
        <source>The disk is full; everything saved before is kept.</source>
        <translation>Диск заполнен; всё, что было сохранено раньше, осталось.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="205"/>
        <source>Free some space, then try again.</source>
        <translation>Освободите место и попробуйте снова.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="213"/>
        <source>The model %1 is not in the Ollama Cloud catalogue.</source>
        <translation>Модели %1 нет в каталоге Ollama Cloud.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="217"/>
        <source>The model %1 is not installed in local Ollama.</source>
        <translation>Модель %1 не установлена в локальном Ollama.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="219"/>
        <source>Pull it in Models.</source>
        <translation>Загрузите её в окне «Модели».</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="220"/>
        <source>Choose another model.</source>
        <translation>Выберите другую модель.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="224"/>
        <source>The Ollama Cloud usage limit was reached.</source>
        <translation>Достигнут лимит использования Ollama Cloud.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="226"/>
        <source>Try again in %1 s, or answer with local Ollama.</source>
        <translation>Попробуйте снова через %1 с или отвечайте с помощью локального Ollama.</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="230"/>
        <source>Try again later, or answer with local Ollama.</source>
        <translation>Попробуйте позже или отвечайте с помощью локального Ollama.</translation>
    </message>
</context>
<context>
    <name>IngestPanel</name>
    <message>
        <location filename="../ingest_panel.py" line="40"/>
        <location filename="../ingest_panel.py" line="64"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="41"/>
        <location filename="../ingest_panel.py" line="65"/>
        <source>Cancel indexing</source>
        <translation>Отменить индексацию</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="48"/>
        <location filename="../ingest_panel.py" line="66"/>
        <source>Overall indexing progress</source>
        <translation>Общий ход индексации</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="51"/>
        <location filename="../ingest_panel.py" line="67"/>
        <source>Files being indexed</source>
        <translation>Индексируемые файлы</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="78"/>
        <source>Looking for files…</source>
        <translation>Поиск файлов…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ingest_panel.py" line="100"/>
        <source>Indexing: %1 of %n files</source>
        <translation>
            <numerusform>Индексация: %1 из %n файла</numerusform>
            <numerusform>Индексация: %1 из %n файлов</numerusform>
            <numerusform>Индексация: %1 из %n файлов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="130"/>
        <location filename="../main_window.py" line="295"/>
        <source>Open folder</source>
        <translation>Открыть папку</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="449"/>
        <source>No application on this computer opens %1. It is in the folder %2.</source>
        <translation>На этом компьютере нет приложения, которое открывает %1. Файл лежит в папке %2.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="134"/>
        <location filename="../main_window.py" line="294"/>
        <source>Dismiss</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="150"/>
        <location filename="../main_window.py" line="297"/>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="219"/>
        <location filename="../main_window.py" line="299"/>
        <source>Data folder: %1</source>
        <translation>Папка данных: %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="379"/>
        <source>Add documents</source>
        <translation>Добавить документы</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="385"/>
        <source>Add a folder</source>
        <translation>Добавить папку</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="390"/>
        <source>Watch a folder</source>
        <translation>Следить за папкой</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="407"/>
        <source>Remove “%1” from the knowledge base?</source>
        <translation>Удалить «%1» из базы знаний?</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="409"/>
        <source>Remove the knowledge base “%1” and its index?</source>
        <translation>Удалить базу знаний «%1» и её индекс?</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="411"/>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="490"/>
        <source>Delete conversation</source>
        <translation>Удалить беседу</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="490"/>
        <source>Delete this conversation?</source>
        <translation>Удалить эту беседу?</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="508"/>
        <source>Export to Markdown</source>
        <translation>Экспорт в Markdown</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="520"/>
        <source>The conversation could not be saved.</source>
        <translation>Не удалось сохранить беседу.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="521"/>
        <source>Saved to %1</source>
        <translation>Сохранено в %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="376"/>
        <source>Supported documents (%1)</source>
        <translation>Поддерживаемые документы (%1)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="377"/>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <location filename="../admin.py" line="230"/>
        <source>Add an Ollama Cloud API key in Settings to see the catalogue.</source>
        <translation>Добавьте API-ключ Ollama Cloud в настройках, чтобы увидеть каталог.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="262"/>
        <source>Pull cancelled.</source>
        <translation>Загрузка отменена.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="264"/>
        <source>%1 is ready.</source>
        <translation>%1 готова.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="274"/>
        <source>Delete model</source>
        <translation>Удалить модель</translation>
    </message>
    <message>
        <location filename="../admin.py" line="275"/>
        <source>Delete %1 from this computer?</source>
        <translation>Удалить %1 с этого компьютера?</translation>
    </message>
    <message>
        <location filename="../admin.py" line="317"/>
        <source>Launch runs: %1</source>
        <translation>Запуск выполнит: %1</translation>
    </message>
    <message>
        <location filename="../admin.py" line="330"/>
        <source>Launch Claude Code in</source>
        <translation>Запустить Claude Code в папке</translation>
    </message>
    <message>
        <location filename="../admin.py" line="338"/>
        <source>Claude Code could not be started.</source>
        <translation>Не удалось запустить Claude Code.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="213"/>
        <source>Answers are now written by %1 in Ollama Cloud.</source>
        <translation>Теперь ответы пишет %1 в Ollama Cloud.</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <location filename="../models_dialog.py" line="52"/>
        <source>Models</source>
        <translation>Модели</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="58"/>
        <source>On this computer</source>
        <translation>На этом компьютере</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="60"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="61"/>
        <source>Claude Code</source>
        <translation>Claude Code</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="68"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="76"/>
        <location filename="../models_dialog.py" line="130"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="77"/>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="78"/>
        <location filename="../models_dialog.py" line="132"/>
        <source>Parameters</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="79"/>
        <source>Quantisation</source>
        <translation>Квантизация</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="80"/>
        <location filename="../models_dialog.py" line="133"/>
        <source>Context</source>
        <translation>Контекст</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="91"/>
        <source>Installed models</source>
        <translation>Установленные модели</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="96"/>
        <source>Delete…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="101"/>
        <source>Model name, e.g. llama3.2</source>
        <translation>Имя модели, например llama3.2</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="102"/>
        <source>Model to pull</source>
        <translation>Модель для загрузки</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="103"/>
        <location filename="../models_dialog.py" line="154"/>
        <location filename="../models_dialog.py" line="200"/>
        <source>Pull</source>
        <translation>Загрузить</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="105"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="106"/>
        <source>Cancel the pull</source>
        <translation>Отменить загрузку</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="114"/>
        <source>Pull progress</source>
        <translation>Ход загрузки</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="117"/>
        <source>Layer</source>
        <translation>Слой</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="117"/>
        <source>Progress</source>
        <translation>Ход</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="213"/>
        <source>Cloud models</source>
        <translation>Облачные модели</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="241"/>
        <source>Claude Code can write code with an Ollama model instead of Anthropic&apos;s. Choose a model, copy the environment into a terminal, or launch it here.</source>
        <translation>Claude Code может писать код с моделью Ollama вместо моделей Anthropic. Выберите модель, скопируйте переменные окружения в терминал или запустите его отсюда.</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="249"/>
        <location filename="../models_dialog.py" line="252"/>
        <source>Model for Claude Code</source>
        <translation>Модель для Claude Code</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="253"/>
        <source>Show environment</source>
        <translation>Показать окружение</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="261"/>
        <source>Let Claude Code search my documents (Hearth&apos;s tools, over MCP)</source>
        <translation>Разрешить Claude Code искать в моих документах (инструменты Hearth через MCP)</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="264"/>
        <source>Give Claude Code the knowledge-base tools</source>
        <translation>Дать Claude Code инструменты базы знаний</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="271"/>
        <source>Claude Code environment</source>
        <translation>Окружение Claude Code</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="274"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="278"/>
        <source>Launch in folder…</source>
        <translation>Запустить в папке…</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="325"/>
        <source>Pulling %1…</source>
        <translation>Загрузка %1…</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="337"/>
        <source>%1 s left</source>
        <translation>осталось %1 с</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="350"/>
        <source>Fetching the model&apos;s description</source>
        <translation>Получение описания модели</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="351"/>
        <source>Checking the download</source>
        <translation>Проверка загрузки</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="352"/>
        <source>Saving the model</source>
        <translation>Сохранение модели</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="353"/>
        <source>Removing files no longer used</source>
        <translation>Удаление ненужных файлов</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="354"/>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="359"/>
        <source>Downloading</source>
        <translation>Загрузка</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="119"/>
        <source>Pull progress by layer</source>
        <translation>Ход загрузки по слоям</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="214"/>
        <source>Answer with this model</source>
        <translation>Отвечать этой моделью</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="57"/>
        <source>Model sections</source>
        <translation>Разделы моделей</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="59"/>
        <source>Popular models</source>
        <translation>Популярные модели</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="131"/>
        <source>Download</source>
        <translation>Загрузка</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="134"/>
        <source>What it is for</source>
        <translation>Для чего</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="142"/>
        <source>Popular models to pull</source>
        <translation>Популярные модели для загрузки</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="164"/>
        <source>Answers on modest computers; small and quick</source>
        <translation>Ответы на скромных компьютерах; маленькая и быстрая</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="165"/>
        <source>Good all-round answers; needs about 8 GB of memory</source>
        <translation>Хорошие ответы на всё; нужно около 8 ГБ памяти</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="166"/>
        <source>Thinks step by step before answering; slower</source>
        <translation>Рассуждает по шагам перед ответом; медленнее</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="167"/>
        <source>The best answers; needs a strong GPU or 16 GB or more</source>
        <translation>Лучшие ответы; нужна мощная видеокарта или от 16 ГБ памяти</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="168"/>
        <source>Writing and explaining code</source>
        <translation>Пишет и объясняет код</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="169"/>
        <source>Answers, and reads pictures too</source>
        <translation>Отвечает и читает изображения</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="170"/>
        <source>Embedding model, for search: cannot write answers</source>
        <translation>Модель эмбеддингов для поиска: не пишет ответы</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="182"/>
        <source>Installed</source>
        <translation>Установлена</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="200"/>
        <source>Pull %1</source>
        <translation>Загрузить %1</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="149"/>
        <source>Sizes as the Ollama library lists them. Embedding models search documents (Settings, Answers, Embedding model) and cannot write answers.</source>
        <translation>Размеры указаны по библиотеке Ollama. Модели эмбеддингов служат для поиска по документам (Настройки, Ответы, Модель эмбеддингов) и не пишут ответы.</translation>
    </message>
</context>
<context>
    <name>ProviderController</name>
    <message>
        <location filename="../provider_controller.py" line="122"/>
        <source>off</source>
        <translation>выключено</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="125"/>
        <source>no API key</source>
        <translation>нет API-ключа</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="264"/>
        <source>Ollama Cloud is turned off, so nothing will be sent there.</source>
        <translation>Ollama Cloud выключен, туда ничего не отправляется.</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="265"/>
        <source>Turn it on in Settings, and add an API key.</source>
        <translation>Включите его в настройках и добавьте API-ключ.</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="239"/>
        <source>Turn on Ollama Cloud in Settings</source>
        <translation>Включите Ollama Cloud в Настройках</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="241"/>
        <source>Add an Ollama Cloud API key in Settings</source>
        <translation>Добавьте ключ API Ollama Cloud в Настройках</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="242"/>
        <source>Fetching the Ollama Cloud catalogue…</source>
        <translation>Загружаем каталог Ollama Cloud…</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="244"/>
        <source>Start Ollama to see its models</source>
        <translation>Запустите Ollama, чтобы увидеть его модели</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="245"/>
        <source>Pull a model in Models</source>
        <translation>Скачайте модель в окне «Модели»</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="162"/>
        <source>Local Ollama is not reachable at %1.</source>
        <translation>Локальный Ollama недоступен по адресу %1.</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="164"/>
        <source>Start Ollama (open the Ollama app, or run “ollama serve” in a terminal), then ask again; or check the address in Settings.</source>
        <translation>Запустите Ollama (откройте приложение Ollama или выполните «ollama serve» в терминале) и спросите снова; или проверьте адрес в Настройках.</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location filename="../main.py" line="55"/>
        <source>&amp;Look in:</source>
        <translation>Перейти &amp;к:</translation>
    </message>
    <message>
        <location filename="../main.py" line="56"/>
        <source>Files of &amp;type:</source>
        <translation>&amp;Типы файлов:</translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <location filename="../admin.py" line="80"/>
        <source>No API key is set.</source>
        <translation>API-ключ не задан.</translation>
    </message>
    <message>
        <location filename="../admin.py" line="175"/>
        <source>Now embedding with %1; knowledge bases are re-embedded in the background and searches use their old vectors until then.</source>
        <translation>Теперь векторы строит %1; базы знаний перестраиваются в фоне, а до тех пор поиск использует прежние векторы.</translation>
    </message>
    <message numerus="yes">
        <location filename="../admin.py" line="91"/>
        <source>Connected: %n cloud models</source>
        <translation>
            <numerusform>Подключено: %n облачная модель</numerusform>
            <numerusform>Подключено: %n облачные модели</numerusform>
            <numerusform>Подключено: %n облачных моделей</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="63"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="72"/>
        <source>Connections</source>
        <translation>Подключения</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="73"/>
        <location filename="../settings_dialog.py" line="168"/>
        <source>Answers</source>
        <translation>Ответы</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="74"/>
        <source>Privacy and data</source>
        <translation>Приватность и данные</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="75"/>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="80"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="81"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="90"/>
        <source>Local Ollama server</source>
        <translation>Локальный сервер Ollama</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93"/>
        <source>Local server URL</source>
        <translation>Адрес локального сервера</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94"/>
        <source>URL</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="112"/>
        <location filename="../settings_dialog.py" line="145"/>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="122"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="124"/>
        <source>Allow answers from Ollama Cloud</source>
        <translation>Разрешить ответы из Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="129"/>
        <source>Paste a key from ollama.com/settings/keys</source>
        <translation>Вставьте ключ с ollama.com/settings/keys</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="130"/>
        <source>Cloud API key</source>
        <translation>API-ключ облака</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="131"/>
        <source>API key</source>
        <translation>API-ключ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="331"/>
        <source>Current key: %1</source>
        <translation>Текущий ключ: %1</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="143"/>
        <source>Save key</source>
        <translation>Сохранить ключ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="146"/>
        <source>Test cloud connection</source>
        <translation>Проверить подключение к облаку</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="161"/>
        <source>Auto: local when it has the model, else the cloud</source>
        <translation>Авто: локально, если модель есть, иначе облако</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="162"/>
        <source>Local only</source>
        <translation>Только локально</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="163"/>
        <source>Cloud only</source>
        <translation>Только облако</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="157"/>
        <location filename="../settings_dialog.py" line="167"/>
        <source>Where answers are written</source>
        <translation>Где пишутся ответы</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="197"/>
        <location filename="../settings_dialog.py" line="198"/>
        <source>Local chat model</source>
        <translation>Локальная модель</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="200"/>
        <location filename="../settings_dialog.py" line="201"/>
        <source>Cloud chat model</source>
        <translation>Модель в облаке</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="203"/>
        <location filename="../settings_dialog.py" line="204"/>
        <source>Embedding model</source>
        <translation>Модель эмбеддингов</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="208"/>
        <source>&quot;builtin&quot; works offline; &quot;ollama:bge-m3&quot; uses a local Ollama model; &quot;onnx:/path/to/folder&quot; uses an ONNX model folder. After a change, every knowledge base is re-embedded in the background; searches use the old vectors until it is done.</source>
        <translation>«builtin» работает без сети; «ollama:bge-m3» использует локальную модель Ollama; «onnx:/путь/к/папке» — папку с моделью ONNX. После смены все базы знаний пересчитываются в фоне; до конца поиск идёт по старым векторам.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="218"/>
        <source>Passages per answer</source>
        <translation>Фрагментов на ответ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="219"/>
        <source>Prefer diverse passages</source>
        <translation>Предпочитать разнообразные фрагменты</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="225"/>
        <source>Chunk size (tokens)</source>
        <translation>Размер фрагмента (токены)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="229"/>
        <source>Chunk overlap (tokens)</source>
        <translation>Перекрытие фрагментов (токены)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="267"/>
        <source>Remove personal data from text sent to the cloud</source>
        <translation>Удалять личные данные из текста, отправляемого в облако</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="271"/>
        <source>Extra patterns to remove</source>
        <translation>Дополнительные шаблоны для удаления</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="273"/>
        <source>Extra patterns (one per line)</source>
        <translation>Дополнительные шаблоны (по одному в строке)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="139"/>
        <source>Without a keyring, keep the API key in a private file</source>
        <translation>Без связки ключей хранить API-ключ в личном файле</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="279"/>
        <location filename="../settings_dialog.py" line="280"/>
        <source>Data location</source>
        <translation>Расположение данных</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="282"/>
        <source>Documents, the index and conversations stay in this folder.</source>
        <translation>Документы, индекс и беседы хранятся в этой папке.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="295"/>
        <source>Follow the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="296"/>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="297"/>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="301"/>
        <location filename="../settings_dialog.py" line="302"/>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="305"/>
        <source>System</source>
        <translation>Системный</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="307"/>
        <location filename="../settings_dialog.py" line="308"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="319"/>
        <source>Not reachable</source>
        <translation>Недоступен</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="181"/>
        <source>This server is not on this computer: your questions and passages from your documents are sent to it (encrypted, https).</source>
        <translation>Этот сервер не на этом компьютере: ваши вопросы и фрагменты ваших документов отправляются на него (с шифрованием, https).</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="186"/>
        <source>This server is not on this computer: your questions and passages from your documents travel to it unencrypted. Use https, or a server on this computer.</source>
        <translation>Этот сервер не на этом компьютере: ваши вопросы и фрагменты ваших документов передаются на него без шифрования. Используйте https или сервер на этом компьютере.</translation>
    </message>
    <message numerus="yes">
        <location filename="../settings_dialog.py" line="314"/>
        <source>Connected: Ollama %1, %2 ms, %n models</source>
        <translation>
            <numerusform>Подключено: Ollama %1, %2 мс, %n модель</numerusform>
            <numerusform>Подключено: Ollama %1, %2 мс, %n модели</numerusform>
            <numerusform>Подключено: Ollama %1, %2 мс, %n моделей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="339"/>
        <source>the OLLAMA_API_KEY environment variable</source>
        <translation>переменная окружения OLLAMA_API_KEY</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="341"/>
        <source>no API key is set</source>
        <translation>ключ API не задан</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="342"/>
        <source>no secure keyring on this system</source>
        <translation>в системе нет защищённого хранилища ключей</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="348"/>
        <source>the system keyring (%1)</source>
        <translation>системное хранилище ключей (%1)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="351"/>
        <source>the key file %1</source>
        <translation>файл ключа %1</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="354"/>
        <source>(readable only by you). Warning: a file is less safe than a system keyring; anyone who can use your account can read it.</source>
        <translation>(доступен для чтения только вам). Внимание: файл менее надёжен, чем системное хранилище ключей; его может прочитать любой, кто пользуется вашей учётной записью.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="101"/>
        <source>Set by %1 in the environment Hearth was started from; remove it there to choose the address here.</source>
        <translation>Задан переменной %1 в окружении, из которого запущен Hearth; уберите её там, чтобы выбрать адрес здесь.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="230"/>
        <source>Read scans and pictures of pages (OCR)</source>
        <translation>Распознавать сканы и снимки страниц (OCR)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="236"/>
        <source>Scanned PDF pages and pictures (PNG, JPEG, TIFF, WebP) are read offline in English, Russian and Chinese, a few seconds a page. Off: they are left out. Applies to files indexed from now on.</source>
        <translation>Страницы PDF без текстового слоя и изображения (PNG, JPEG, TIFF, WebP) распознаются без сети на английском, русском и китайском, по несколько секунд на страницу. Если выключено, они пропускаются. Действует для файлов, индексируемых с этого момента.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="71"/>
        <source>Settings sections</source>
        <translation>Разделы настроек</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="244"/>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="246"/>
        <source>Time limit per file</source>
        <translation>Время на один файл</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="250"/>
        <source> MB</source>
        <translation> МБ</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="252"/>
        <source>Memory limit per file</source>
        <translation>Память на один файл</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="256"/>
        <source>A file whose reading takes longer or uses more memory is stopped and marked as failed; the other files go on.</source>
        <translation>Чтение файла, которое длится дольше или занимает больше памяти, останавливается, и файл отмечается как не прочитанный; остальные файлы обрабатываются дальше.</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../sidebar.py" line="187"/>
        <location filename="../sidebar.py" line="300"/>
        <source>Knowledge</source>
        <translation>Знания</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="223"/>
        <location filename="../sidebar.py" line="308"/>
        <source>Knowledge bases and documents</source>
        <translation>Базы знаний и документы</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="230"/>
        <location filename="../sidebar.py" line="309"/>
        <source>Add…</source>
        <translation>Добавить…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="231"/>
        <location filename="../sidebar.py" line="310"/>
        <source>Add documents</source>
        <translation>Добавить документы</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="234"/>
        <location filename="../sidebar.py" line="311"/>
        <source>Files…</source>
        <translation>Файлы…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="235"/>
        <location filename="../sidebar.py" line="311"/>
        <source>Folder…</source>
        <translation>Папка…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="236"/>
        <location filename="../sidebar.py" line="311"/>
        <source>Watch folder…</source>
        <translation>Следить за папкой…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="239"/>
        <location filename="../sidebar.py" line="314"/>
        <location filename="../sidebar.py" line="725"/>
        <source>Re-index</source>
        <translation>Переиндексировать</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="241"/>
        <location filename="../sidebar.py" line="315"/>
        <location filename="../sidebar.py" line="727"/>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="252"/>
        <location filename="../sidebar.py" line="270"/>
        <location filename="../sidebar.py" line="307"/>
        <location filename="../sidebar.py" line="321"/>
        <source>Conversations</source>
        <translation>Беседы</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="255"/>
        <location filename="../sidebar.py" line="316"/>
        <source>New chat</source>
        <translation>Новая беседа</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="256"/>
        <location filename="../sidebar.py" line="317"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Новая беседа (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="262"/>
        <location filename="../sidebar.py" line="263"/>
        <location filename="../sidebar.py" line="318"/>
        <location filename="../sidebar.py" line="319"/>
        <source>Search conversations</source>
        <translation>Поиск по беседам</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="284"/>
        <source>queued</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="285"/>
        <source>indexing</source>
        <translation>индексируется</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="286"/>
        <source>ready</source>
        <translation>готово</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="287"/>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="724"/>
        <location filename="../sidebar.py" line="752"/>
        <source>Rename…</source>
        <translation>Переименовать…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="753"/>
        <source>Export to Markdown…</source>
        <translation>Экспорт в Markdown…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="754"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="766"/>
        <source>Rename conversation</source>
        <translation>Переименовать беседу</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="766"/>
        <source>Title:</source>
        <translation>Название:</translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="401"/>
        <location filename="../sidebar.py" line="533"/>
        <source>%n documents</source>
        <translation>
            <numerusform>%n документ</numerusform>
            <numerusform>%n документа</numerusform>
            <numerusform>%n документов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="402"/>
        <location filename="../sidebar.py" line="599"/>
        <source>%n chunks</source>
        <translation>
            <numerusform>%n фрагмент</numerusform>
            <numerusform>%n фрагмента</numerusform>
            <numerusform>%n фрагментов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="191"/>
        <location filename="../sidebar.py" line="301"/>
        <source>New…</source>
        <translation>Создать…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="192"/>
        <location filename="../sidebar.py" line="193"/>
        <location filename="../sidebar.py" line="302"/>
        <location filename="../sidebar.py" line="303"/>
        <location filename="../sidebar.py" line="490"/>
        <source>New knowledge base</source>
        <translation>Новая база знаний</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="198"/>
        <location filename="../sidebar.py" line="304"/>
        <source>Ask in</source>
        <translation>Искать в</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="201"/>
        <location filename="../sidebar.py" line="202"/>
        <location filename="../sidebar.py" line="305"/>
        <location filename="../sidebar.py" line="306"/>
        <source>Knowledge base for questions and new documents</source>
        <translation>База знаний для вопросов и новых документов</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="490"/>
        <source>Name:</source>
        <translation>Название:</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="723"/>
        <source>Ask in this knowledge base</source>
        <translation>Искать в этой базе знаний</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="326"/>
        <source>Clear search</source>
        <translation>Очистить поиск</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="327"/>
        <source>Clear search (Esc)</source>
        <translation>Очистить поиск (Esc)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="575"/>
        <source>read by OCR</source>
        <translation>распознан OCR</translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="579"/>
        <source>low confidence on pages %1</source>
        <translation>
            <numerusform>низкая уверенность распознавания на странице %1</numerusform>
            <numerusform>низкая уверенность распознавания на страницах %1</numerusform>
            <numerusform>низкая уверенность распознавания на страницах %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="584"/>
        <source>repaired text encoding</source>
        <translation>кодировка текста исправлена</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="717"/>
        <source>Compare these documents</source>
        <translation>Сравнить эти документы</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="719"/>
        <source>Ask about this document</source>
        <translation>Спросить об этом документе</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="405"/>
        <source>Ticked: questions search it</source>
        <translation>Отмечена: вопросы ищут и в ней</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="481"/>
        <source>Rename knowledge base</source>
        <translation>Переименовать базу знаний</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="481"/>
        <source>New name:</source>
        <translation>Новое имя:</translation>
    </message>
</context>
<context>
    <name>SourceView</name>
    <message>
        <location filename="../source_view.py" line="209"/>
        <source>‹ Previous source</source>
        <translation>‹ Предыдущий источник</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="210"/>
        <source>Next source ›</source>
        <translation>Следующий источник ›</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="211"/>
        <source>Open in the system viewer</source>
        <translation>Открыть в системной программе</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="212"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="213"/>
        <source>Document text</source>
        <translation>Текст документа</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="214"/>
        <source>Page</source>
        <translation>Страница</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="299"/>
        <source>Opening the document…</source>
        <translation>Открываю документ…</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="319"/>
        <source>page %1 of %2</source>
        <translation>страница %1 из %2</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="323"/>
        <source>page %1</source>
        <translation>страница %1</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="326"/>
        <source>Source [%1]</source>
        <translation>Источник [%1]</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="328"/>
        <source>%1 of %2</source>
        <translation>%1 из %2</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="342"/>
        <source>The passage was not found as it was indexed: the file may have changed since. Add it again to cite it as it is now.</source>
        <translation>Фрагмент не найден в том виде, в каком он был проиндексирован: возможно, файл с тех пор изменился. Добавьте его снова, чтобы ссылаться на текущую версию.</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="347"/>
        <source>This page is a picture: its text was read by OCR, and the marks show the lines it read. Check the wording against the picture.</source>
        <translation>Эта страница — изображение: её текст распознан OCR, а отметки показывают распознанные строки. Сверьте формулировки с изображением.</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../top_bar.py" line="153"/>
        <location filename="../top_bar.py" line="195"/>
        <location filename="../top_bar.py" line="285"/>
        <source>Local</source>
        <translation>Локально</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="153"/>
        <location filename="../top_bar.py" line="195"/>
        <location filename="../top_bar.py" line="285"/>
        <source>Cloud</source>
        <translation>Облако</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="153"/>
        <location filename="../top_bar.py" line="195"/>
        <source>Auto</source>
        <translation>Авто</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="157"/>
        <location filename="../top_bar.py" line="199"/>
        <source>Answer with: %1</source>
        <translation>Отвечать через: %1</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="170"/>
        <location filename="../top_bar.py" line="201"/>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="174"/>
        <location filename="../top_bar.py" line="175"/>
        <location filename="../top_bar.py" line="202"/>
        <location filename="../top_bar.py" line="263"/>
        <source>Model (Ctrl+K)</source>
        <translation>Модель (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="179"/>
        <location filename="../top_bar.py" line="204"/>
        <source>Models</source>
        <translation>Модели</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="181"/>
        <location filename="../top_bar.py" line="205"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="287"/>
        <source>checking…</source>
        <translation>проверка…</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="295"/>
        <source>not reachable</source>
        <translation>недоступен</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="221"/>
        <source>this computer</source>
        <translation>этот компьютер</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="222"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="223"/>
        <source>Ollama Cloud, through local Ollama</source>
        <translation>Ollama Cloud, через локальный Ollama</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="257"/>
        <source>%1: answers are written on %2</source>
        <translation>%1 (где пишутся ответы: %2)</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../welcome_dialog.py" line="31"/>
        <location filename="../welcome_dialog.py" line="35"/>
        <source>Welcome to Hearth</source>
        <translation>Добро пожаловать в Hearth</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="41"/>
        <source>Hearth answers questions from your own documents and cites the passages it used. Your documents are indexed on this computer.</source>
        <translation>Hearth отвечает на вопросы по вашим документам и указывает использованные фрагменты. Документы индексируются на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="47"/>
        <source>Ollama on this computer</source>
        <translation>Ollama на этом компьютере</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="49"/>
        <source>Looking for Ollama…</source>
        <translation>Поиск Ollama…</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="54"/>
        <source>Ollama Cloud (optional)</source>
        <translation>Ollama Cloud (необязательно)</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="59"/>
        <source>When this computer is too small for a model, answers can be written by Ollama Cloud with an API key. Nothing goes to the cloud unless you turn it on, and every answer from the cloud is marked.</source>
        <translation>Если модели не хватает этого компьютера, ответы может писать Ollama Cloud по API-ключу. В облако ничего не уходит, пока вы его не включите, и каждый ответ из облака помечен.</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="68"/>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="70"/>
        <source>Add documents…</source>
        <translation>Добавить документы…</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="72"/>
        <source>Start</source>
        <translation>Начать</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="89"/>
        <source>Ollama is not running at %1. Install it from ollama.com, start it with “ollama serve”, then pull a model: “ollama pull llama3.2”.</source>
        <translation>Ollama не запущена по адресу %1. Установите её с ollama.com, запустите командой «ollama serve», затем загрузите модель: «ollama pull llama3.2».</translation>
    </message>
    <message numerus="yes">
        <location filename="../welcome_dialog.py" line="84"/>
        <source>Found Ollama %1 at %2 with %n models.</source>
        <translation>
            <numerusform>Найдена Ollama %1 по адресу %2, %n модель.</numerusform>
            <numerusform>Найдена Ollama %1 по адресу %2, %n модели.</numerusform>
            <numerusform>Найдена Ollama %1 по адресу %2, %n моделей.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../crash.py" line="50"/>
        <source>Hearth hit a problem</source>
        <translation>В Hearth произошла ошибка</translation>
    </message>
    <message>
        <location filename="../crash.py" line="51"/>
        <source>Something unexpected went wrong. Your documents and chats are safe.</source>
        <translation>Произошло что-то непредвиденное. Ваши документы и чаты в сохранности.</translation>
    </message>
    <message>
        <location filename="../crash.py" line="53"/>
        <source>If it happens again, copy the report and send it to us; it contains no keys.</source>
        <translation>Если это повторится, скопируйте отчёт и пришлите его нам; ключей в нём нет.</translation>
    </message>
    <message>
        <location filename="../crash.py" line="56"/>
        <source>Copy report</source>
        <translation>Скопировать отчёт</translation>
    </message>
</context>
</TS>
