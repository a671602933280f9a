<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatController</name>
    <message>
        <location filename="../chat_controller.py" line="188"/>
        <source>Searching your documents…</source>
        <translation>正在搜索您的文档…</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="209"/>
        <location filename="../chat_controller.py" line="211"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="231"/>
        <source>Waiting for the model to answer…</source>
        <translation>正在等待模型回答…</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="233"/>
        <source>Still waiting for the model: one that is loading into memory can take a minute. Esc stops.</source>
        <translation>仍在等待模型：模型加载到内存可能需要一分钟。按 Esc 停止。</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="240"/>
        <source>Reading part %1 of %2…</source>
        <translation>正在阅读第 %1 部分，共 %2 部分…</translation>
    </message>
    <message>
        <location filename="../chat_controller.py" line="242"/>
        <source>Combining the notes: %1 of %2…</source>
        <translation>正在合并笔记：%1 / %2…</translation>
    </message>
</context>
<context>
    <name>ChatDocument</name>
    <message>
        <location filename="../render.py" line="409"/>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../render.py" line="416"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat_view.py" line="116"/>
        <location filename="../chat_view.py" line="320"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="139"/>
        <location filename="../chat_view.py" line="322"/>
        <source>Ask a question… (Enter sends, Shift+Enter adds a line)</source>
        <translation>输入问题…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="141"/>
        <location filename="../chat_view.py" line="324"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="148"/>
        <location filename="../chat_view.py" line="325"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="150"/>
        <location filename="../chat_view.py" line="326"/>
        <source>Send question</source>
        <translation>发送问题</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="152"/>
        <location filename="../chat_view.py" line="327"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="153"/>
        <location filename="../chat_view.py" line="328"/>
        <source>Stop the answer</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="154"/>
        <location filename="../chat_view.py" line="329"/>
        <source>Stop the answer (Esc)</source>
        <translation>停止回答（Esc）</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="393"/>
        <source>Editing a question: Enter resends it</source>
        <translation>正在编辑问题：按 Enter 重新发送</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="699"/>
        <source>OCR</source>
        <translation>OCR</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="706"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="272"/>
        <location filename="../chat_view.py" line="603"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="266"/>
        <location filename="../chat_view.py" line="605"/>
        <location filename="../chat_view.py" line="682"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="611"/>
        <source>Thinking</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="635"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="650"/>
        <source>Also searched (%1)</source>
        <translation>另检索到 (%1)</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="697"/>
        <source>p. %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="671"/>
        <source>Cloud</source>
        <translation>云端</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="674"/>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="268"/>
        <location filename="../chat_view.py" line="684"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="270"/>
        <location filename="../chat_view.py" line="708"/>
        <location filename="../chat_view.py" line="728"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="267"/>
        <source>Copy the answer</source>
        <translation>复制回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="269"/>
        <source>Write the answer again</source>
        <translation>重新生成回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="271"/>
        <source>Try the failed answer again</source>
        <translation>重试失败的回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="273"/>
        <source>Edit the question and send it again</source>
        <translation>编辑问题并重新发送</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="294"/>
        <source>Sources (%1)</source>
        <translation>来源（%1）</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="214"/>
        <source>Comparing: %1</source>
        <translation>比较：%1</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="216"/>
        <source>About: %1</source>
        <translation>关于：%1</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="221"/>
        <source>Ask the whole knowledge base again</source>
        <translation>重新在整个知识库中提问</translation>
    </message>
</context>
<context>
    <name>DocumentsController</name>
    <message>
        <location filename="../documents_controller.py" line="175"/>
        <source>Waiting for the other Hearth process to finish…</source>
        <translation>正在等待另一个 Hearth 进程完成…</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="180"/>
        <source>The other Hearth process has finished.</source>
        <translation>另一个 Hearth 进程已完成。</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="327"/>
        <source>Indexing cancelled; finished files were kept.</source>
        <translation>索引已取消；已完成的文件已保留。</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="285"/>
        <source>Re-embedding “%1” with the new embedding model…</source>
        <translation>正在用新的嵌入模型重新向量化“%1”…</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="290"/>
        <source>Re-embedding finished.</source>
        <translation>重新向量化已完成。</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="350"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="352"/>
        <source>reading</source>
        <translation>读取中</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="358"/>
        <source>embedding %1%</source>
        <translation>向量化 %1%</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="362"/>
        <source>unchanged</source>
        <translation>未变化</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="365"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="366"/>
        <source>removed (file is gone)</source>
        <translation>已移除（文件已不存在）</translation>
    </message>
    <message numerus="yes">
        <location filename="../documents_controller.py" line="360"/>
        <source>ready · %n chunks</source>
        <translation>
            <numerusform>就绪 · %n 个片段</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="337"/>
        <source>%1 ready</source>
        <translation>%1 个完成</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="338"/>
        <source>%1 unchanged</source>
        <translation>%1 个未变</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="339"/>
        <source>%1 failed</source>
        <translation>%1 个失败</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="344"/>
        <source>No documents to index were found.</source>
        <translation>未找到可索引的文档。</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="345"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../documents_controller.py" line="354"/>
        <source>reading by OCR: page %1 of %2</source>
        <translation>OCR 识别：第 %1 页，共 %2 页</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <location filename="../drop_overlay.py" line="27"/>
        <location filename="../drop_overlay.py" line="42"/>
        <source>Drop to add</source>
        <translation>松开即可添加</translation>
    </message>
    <message numerus="yes">
        <location filename="../drop_overlay.py" line="47"/>
        <source>%n items into the knowledge base “%1”</source>
        <translation>
            <numerusform>%n 项，放入知识库“%1”</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../empty_state.py" line="71"/>
        <source>No model can answer yet</source>
        <translation>暂时没有可用的模型</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="74"/>
        <source>Start Ollama on this computer (ollama serve) and pull a model, or add an Ollama Cloud API key in Settings.</source>
        <translation>请在这台电脑上启动 Ollama（ollama serve）并下载一个模型，或在设置中添加 Ollama Cloud API 密钥。</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="78"/>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="81"/>
        <source>Ask about your documents</source>
        <translation>就您的文档提问</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="82"/>
        <source>Answers cite the passages they use. Press Enter to send.</source>
        <translation>回答会引用所用的段落。按 Enter 发送。</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="68"/>
        <location filename="../empty_state.py" line="83"/>
        <location filename="../empty_state.py" line="93"/>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="61"/>
        <source>Indexing your documents…</source>
        <translation>正在索引您的文档…</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="64"/>
        <source>You can ask as soon as the first ones are ready; the progress is under the list on the left.</source>
        <translation>第一批文档就绪后即可提问；进度显示在左侧列表下方。</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="86"/>
        <source>Drop documents here to begin</source>
        <translation>将文档拖到这里开始</translation>
    </message>
    <message>
        <location filename="../empty_state.py" line="89"/>
        <source>Drag files or folders anywhere onto this window, or use Add. PDF, Word, Markdown, text, HTML and more are indexed on this computer.</source>
        <translation>将文件或文件夹拖到窗口任意位置，或点击“添加”。PDF、Word、Markdown、文本、HTML 等格式都在这台电脑上建立索引。</translation>
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
        <translation>本地 Ollama</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="81"/>
        <source>%1 is not reachable.</source>
        <translation>无法连接 %1。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="82"/>
        <source>Check that it runs and that its address in Settings is right.</source>
        <translation>请确认它正在运行，并检查设置中的地址是否正确。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="88"/>
        <source>%1 did not answer in time.</source>
        <translation>%1 未能及时响应。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="89"/>
        <source>The model may still be loading; try again, or raise the timeout in Settings.</source>
        <translation>模型可能仍在加载；请重试，或在设置中延长超时时间。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="96"/>
        <source>Ollama Cloud did not accept the API key.</source>
        <translation>Ollama Cloud 未接受该 API 密钥。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="101"/>
        <source>The cloud model %1 needs a paid Ollama plan.</source>
        <translation>云端模型 %1 需要付费的 Ollama 套餐。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="102"/>
        <source>Choose another cloud model, or change the plan on ollama.com.</source>
        <translation>请选择其他云端模型，或在 ollama.com 更改套餐。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="108"/>
        <source>Ollama Cloud is overloaded right now.</source>
        <translation>Ollama Cloud 当前负载过高。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="109"/>
        <location filename="../error_text.py" line="114"/>
        <source>Try again in a moment.</source>
        <translation>请稍后重试。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="113"/>
        <source>Local Ollama is busy with other requests.</source>
        <translation>本地 Ollama 正忙于处理其他请求。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="118"/>
        <source>%1 broke off the answer.</source>
        <translation>%1 中断了回答。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="119"/>
        <source>What had arrived is kept; ask again to get a whole answer.</source>
        <translation>已收到的部分已保存；请再次提问以获得完整回答。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="125"/>
        <source>%1 refused the request.</source>
        <translation>%1 拒绝了该请求。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="126"/>
        <source>Try another model.</source>
        <translation>请尝试其他模型。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="130"/>
        <source>%1 failed unexpectedly.</source>
        <translation>%1 意外出错。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="131"/>
        <source>Try again; if it keeps failing, restart Ollama.</source>
        <translation>请重试；如果仍然失败，请重启 Ollama。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="135"/>
        <source>This answer may not be sent to Ollama Cloud.</source>
        <translation>此回答不能发送到 Ollama Cloud。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="136"/>
        <source>Answer with local Ollama, or turn the cloud on in Settings; a knowledge base kept on this computer is never sent.</source>
        <translation>请使用本地 Ollama 回答，或在设置中开启云端；仅保存在本机的知识库永远不会被发送。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="144"/>
        <source>This computer has no safe place to keep the API key.</source>
        <translation>这台电脑上没有可以安全保存 API 密钥的地方。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="97"/>
        <source>Check the key in Settings, Connections.</source>
        <translation>请在“设置 › 连接”中检查密钥。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="145"/>
        <source>In Settings, Connections, keep the API key in a private file.</source>
        <translation>请在“设置 › 连接”中选择将 API 密钥保存在私有文件中。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="151"/>
        <source>%1 is of a type Hearth cannot read.</source>
        <translation>Hearth 无法读取 %1 这种类型的文件。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="152"/>
        <source>Save it as PDF, Word or text and add it again.</source>
        <translation>请将其另存为 PDF、Word 或文本文件后重新添加。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="156"/>
        <source>%1 is damaged or is not what its name says.</source>
        <translation>%1 已损坏，或与其扩展名不符。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="157"/>
        <source>Open it in its own program, save a new copy and add that.</source>
        <translation>请用原来的程序打开它，另存一份新副本后添加该副本。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="161"/>
        <source>%1 is protected by a password.</source>
        <translation>%1 受密码保护。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="162"/>
        <source>Save a copy without the password and add that.</source>
        <translation>请另存一份无密码的副本后添加。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="166"/>
        <source>%1 has no text that can be read.</source>
        <translation>%1 中没有可读取的文本。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="167"/>
        <source>Add a copy with a text layer.</source>
        <translation>请添加一份带文字层的副本。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="171"/>
        <source>%1 is larger than the size limit.</source>
        <translation>%1 超过了大小限制。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="172"/>
        <source>Raise the limit in Settings, or split the file.</source>
        <translation>请在设置中提高限制，或拆分该文件。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="176"/>
        <source>%1 could not be opened.</source>
        <translation>无法打开 %1。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="177"/>
        <source>Check that it still exists and that you may read it.</source>
        <translation>请确认该文件仍然存在，并且您有读取权限。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="181"/>
        <source>This knowledge base was built with an embedder that is not available.</source>
        <translation>此知识库是用当前不可用的嵌入模型建立的。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="184"/>
        <source>Re-index it, or choose its embedder again in Settings.</source>
        <translation>请重新索引，或在设置中重新选择它的嵌入模型。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="188"/>
        <source>Another Hearth process is changing the knowledge store.</source>
        <translation>另一个 Hearth 进程正在修改知识库存储。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="189"/>
        <source>Wait until it has finished, then try again.</source>
        <translation>请等待其完成后再试。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="193"/>
        <source>Hearth&apos;s indexing process stopped; what it was doing was not finished.</source>
        <translation>Hearth 的索引进程已停止，正在进行的工作未完成。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="196"/>
        <source>It starts again by itself at the next request and indexes the files it had not finished.</source>
        <translation>下一次请求时它会自动重新启动，并为尚未完成的文件建立索引。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="204"/>
        <source>The disk is full; everything saved before is kept.</source>
        <translation>磁盘已满；之前保存的内容均已保留。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="205"/>
        <source>Free some space, then try again.</source>
        <translation>请释放一些空间后重试。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="213"/>
        <source>The model %1 is not in the Ollama Cloud catalogue.</source>
        <translation>Ollama Cloud 目录中没有模型 %1。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="217"/>
        <source>The model %1 is not installed in local Ollama.</source>
        <translation>本地 Ollama 中未安装模型 %1。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="219"/>
        <source>Pull it in Models.</source>
        <translation>请在“模型”中下载它。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="220"/>
        <source>Choose another model.</source>
        <translation>请选择其他模型。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="224"/>
        <source>The Ollama Cloud usage limit was reached.</source>
        <translation>已达到 Ollama Cloud 的使用限额。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="226"/>
        <source>Try again in %1 s, or answer with local Ollama.</source>
        <translation>请在 %1 秒后重试，或使用本地 Ollama 回答。</translation>
    </message>
    <message>
        <location filename="../error_text.py" line="230"/>
        <source>Try again later, or answer with local Ollama.</source>
        <translation>请稍后重试，或使用本地 Ollama 回答。</translation>
    </message>
</context>
<context>
    <name>IngestPanel</name>
    <message>
        <location filename="../ingest_panel.py" line="40"/>
        <location filename="../ingest_panel.py" line="64"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="41"/>
        <location filename="../ingest_panel.py" line="65"/>
        <source>Cancel indexing</source>
        <translation>取消索引</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="48"/>
        <location filename="../ingest_panel.py" line="66"/>
        <source>Overall indexing progress</source>
        <translation>总体索引进度</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="51"/>
        <location filename="../ingest_panel.py" line="67"/>
        <source>Files being indexed</source>
        <translation>正在索引的文件</translation>
    </message>
    <message>
        <location filename="../ingest_panel.py" line="78"/>
        <source>Looking for files…</source>
        <translation>正在查找文件…</translation>
    </message>
    <message numerus="yes">
        <location filename="../ingest_panel.py" line="100"/>
        <source>Indexing: %1 of %n files</source>
        <translation>
            <numerusform>正在索引：第 %1 个，共 %n 个文件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="130"/>
        <location filename="../main_window.py" line="295"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="449"/>
        <source>No application on this computer opens %1. It is in the folder %2.</source>
        <translation>此电脑上没有可以打开 %1 的应用程序。它位于文件夹 %2 中。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="134"/>
        <location filename="../main_window.py" line="294"/>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="150"/>
        <location filename="../main_window.py" line="297"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="219"/>
        <location filename="../main_window.py" line="299"/>
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="379"/>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="385"/>
        <source>Add a folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="390"/>
        <source>Watch a folder</source>
        <translation>监视文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="407"/>
        <source>Remove “%1” from the knowledge base?</source>
        <translation>要从知识库中移除“%1”吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="409"/>
        <source>Remove the knowledge base “%1” and its index?</source>
        <translation>要移除知识库“%1”及其索引吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="411"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="490"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="490"/>
        <source>Delete this conversation?</source>
        <translation>要删除此对话吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="508"/>
        <source>Export to Markdown</source>
        <translation>导出为 Markdown</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="520"/>
        <source>The conversation could not be saved.</source>
        <translation>无法保存对话。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="521"/>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="376"/>
        <source>Supported documents (%1)</source>
        <translation>支持的文档 (%1)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="377"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <location filename="../admin.py" line="230"/>
        <source>Add an Ollama Cloud API key in Settings to see the catalogue.</source>
        <translation>在设置中添加 Ollama Cloud API 密钥即可查看模型目录。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="262"/>
        <source>Pull cancelled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="264"/>
        <source>%1 is ready.</source>
        <translation>%1 已就绪。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="274"/>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <location filename="../admin.py" line="275"/>
        <source>Delete %1 from this computer?</source>
        <translation>要从这台电脑删除 %1 吗？</translation>
    </message>
    <message>
        <location filename="../admin.py" line="317"/>
        <source>Launch runs: %1</source>
        <translation>启动时运行：%1</translation>
    </message>
    <message>
        <location filename="../admin.py" line="330"/>
        <source>Launch Claude Code in</source>
        <translation>在此文件夹中启动 Claude Code</translation>
    </message>
    <message>
        <location filename="../admin.py" line="338"/>
        <source>Claude Code could not be started.</source>
        <translation>无法启动 Claude Code。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="213"/>
        <source>Answers are now written by %1 in Ollama Cloud.</source>
        <translation>现在由 Ollama Cloud 中的 %1 撰写回答。</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <location filename="../models_dialog.py" line="52"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="58"/>
        <source>On this computer</source>
        <translation>这台电脑</translation>
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
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="76"/>
        <location filename="../models_dialog.py" line="130"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="77"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="78"/>
        <location filename="../models_dialog.py" line="132"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="79"/>
        <source>Quantisation</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="80"/>
        <location filename="../models_dialog.py" line="133"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="91"/>
        <source>Installed models</source>
        <translation>已安装的模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="96"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="101"/>
        <source>Model name, e.g. llama3.2</source>
        <translation>模型名称，例如 llama3.2</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="102"/>
        <source>Model to pull</source>
        <translation>要下载的模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="103"/>
        <location filename="../models_dialog.py" line="154"/>
        <location filename="../models_dialog.py" line="200"/>
        <source>Pull</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="105"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="106"/>
        <source>Cancel the pull</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="114"/>
        <source>Pull progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="117"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="117"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="213"/>
        <source>Cloud models</source>
        <translation>云端模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="241"/>
        <source>Claude Code can write code with an Ollama model instead of Anthropic&apos;s. Choose a model, copy the environment into a terminal, or launch it here.</source>
        <translation>Claude Code 可以使用 Ollama 模型代替 Anthropic 的模型编写代码。选择一个模型，将环境变量复制到终端，或直接在此启动。</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="249"/>
        <location filename="../models_dialog.py" line="252"/>
        <source>Model for Claude Code</source>
        <translation>Claude Code 使用的模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="253"/>
        <source>Show environment</source>
        <translation>显示环境变量</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="261"/>
        <source>Let Claude Code search my documents (Hearth&apos;s tools, over MCP)</source>
        <translation>允许 Claude Code 搜索我的文档（通过 MCP 使用 Hearth 的工具）</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="264"/>
        <source>Give Claude Code the knowledge-base tools</source>
        <translation>为 Claude Code 提供知识库工具</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="271"/>
        <source>Claude Code environment</source>
        <translation>Claude Code 环境变量</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="274"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="278"/>
        <source>Launch in folder…</source>
        <translation>在文件夹中启动…</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="325"/>
        <source>Pulling %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="337"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="350"/>
        <source>Fetching the model&apos;s description</source>
        <translation>正在获取模型描述</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="351"/>
        <source>Checking the download</source>
        <translation>正在校验下载</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="352"/>
        <source>Saving the model</source>
        <translation>正在保存模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="353"/>
        <source>Removing files no longer used</source>
        <translation>正在删除不再使用的文件</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="354"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="359"/>
        <source>Downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="119"/>
        <source>Pull progress by layer</source>
        <translation>各层下载进度</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="214"/>
        <source>Answer with this model</source>
        <translation>用此模型回答</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="57"/>
        <source>Model sections</source>
        <translation>模型分区</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="59"/>
        <source>Popular models</source>
        <translation>热门模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="131"/>
        <source>Download</source>
        <translation>下载大小</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="134"/>
        <source>What it is for</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="142"/>
        <source>Popular models to pull</source>
        <translation>可下载的热门模型</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="164"/>
        <source>Answers on modest computers; small and quick</source>
        <translation>适合普通电脑的回答；小巧快速</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="165"/>
        <source>Good all-round answers; needs about 8 GB of memory</source>
        <translation>全面而不错的回答；约需 8 GB 内存</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="166"/>
        <source>Thinks step by step before answering; slower</source>
        <translation>回答前逐步思考；速度较慢</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="167"/>
        <source>The best answers; needs a strong GPU or 16 GB or more</source>
        <translation>最佳回答；需要强劲的 GPU 或 16 GB 以上内存</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="168"/>
        <source>Writing and explaining code</source>
        <translation>编写和解释代码</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="169"/>
        <source>Answers, and reads pictures too</source>
        <translation>能回答，也能看懂图片</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="170"/>
        <source>Embedding model, for search: cannot write answers</source>
        <translation>嵌入模型，用于搜索：不能撰写回答</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="182"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="200"/>
        <source>Pull %1</source>
        <translation>下载 %1</translation>
    </message>
    <message>
        <location filename="../models_dialog.py" line="149"/>
        <source>Sizes as the Ollama library lists them. Embedding models search documents (Settings, Answers, Embedding model) and cannot write answers.</source>
        <translation>大小取自 Ollama 模型库。嵌入模型用于搜索文档（设置 › 回答 › 嵌入模型），不能撰写回答。</translation>
    </message>
</context>
<context>
    <name>ProviderController</name>
    <message>
        <location filename="../provider_controller.py" line="122"/>
        <source>off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="125"/>
        <source>no API key</source>
        <translation>无 API 密钥</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="264"/>
        <source>Ollama Cloud is turned off, so nothing will be sent there.</source>
        <translation>Ollama Cloud 已关闭，不会向其发送任何内容。</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="265"/>
        <source>Turn it on in Settings, and add an API key.</source>
        <translation>请在设置中开启并添加 API 密钥。</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="239"/>
        <source>Turn on Ollama Cloud in Settings</source>
        <translation>请在设置中开启 Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="241"/>
        <source>Add an Ollama Cloud API key in Settings</source>
        <translation>请在设置中添加 Ollama Cloud API 密钥</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="242"/>
        <source>Fetching the Ollama Cloud catalogue…</source>
        <translation>正在获取 Ollama Cloud 模型目录…</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="244"/>
        <source>Start Ollama to see its models</source>
        <translation>启动 Ollama 以查看其模型</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="245"/>
        <source>Pull a model in Models</source>
        <translation>请在“模型”中拉取模型</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="162"/>
        <source>Local Ollama is not reachable at %1.</source>
        <translation>无法连接本地 Ollama（%1）。</translation>
    </message>
    <message>
        <location filename="../provider_controller.py" line="164"/>
        <source>Start Ollama (open the Ollama app, or run “ollama serve” in a terminal), then ask again; or check the address in Settings.</source>
        <translation>请启动 Ollama（打开 Ollama 应用，或在终端运行“ollama serve”）后再提问；或在设置中检查地址。</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location filename="../main.py" line="55"/>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../main.py" line="56"/>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <location filename="../admin.py" line="80"/>
        <source>No API key is set.</source>
        <translation>尚未设置 API 密钥。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="175"/>
        <source>Now embedding with %1; knowledge bases are re-embedded in the background and searches use their old vectors until then.</source>
        <translation>现在使用 %1 生成向量；知识库将在后台重新嵌入，在此之前搜索仍使用原有向量。</translation>
    </message>
    <message numerus="yes">
        <location filename="../admin.py" line="91"/>
        <source>Connected: %n cloud models</source>
        <translation>
            <numerusform>已连接：%n 个云端模型</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="63"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="72"/>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="73"/>
        <location filename="../settings_dialog.py" line="168"/>
        <source>Answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="74"/>
        <source>Privacy and data</source>
        <translation>隐私与数据</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="75"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="80"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="81"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="90"/>
        <source>Local Ollama server</source>
        <translation>本地 Ollama 服务器</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93"/>
        <source>Local server URL</source>
        <translation>本地服务器地址</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94"/>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="112"/>
        <location filename="../settings_dialog.py" line="145"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="122"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="124"/>
        <source>Allow answers from Ollama Cloud</source>
        <translation>允许由 Ollama Cloud 回答</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="129"/>
        <source>Paste a key from ollama.com/settings/keys</source>
        <translation>粘贴来自 ollama.com/settings/keys 的密钥</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="130"/>
        <source>Cloud API key</source>
        <translation>云端 API 密钥</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="131"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="331"/>
        <source>Current key: %1</source>
        <translation>当前密钥：%1</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="143"/>
        <source>Save key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="146"/>
        <source>Test cloud connection</source>
        <translation>测试云端连接</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="161"/>
        <source>Auto: local when it has the model, else the cloud</source>
        <translation>自动：本地有模型时用本地，否则用云端</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="162"/>
        <source>Local only</source>
        <translation>仅本地</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="163"/>
        <source>Cloud only</source>
        <translation>仅云端</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="157"/>
        <location filename="../settings_dialog.py" line="167"/>
        <source>Where answers are written</source>
        <translation>由谁来回答</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="197"/>
        <location filename="../settings_dialog.py" line="198"/>
        <source>Local chat model</source>
        <translation>本地对话模型</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="200"/>
        <location filename="../settings_dialog.py" line="201"/>
        <source>Cloud chat model</source>
        <translation>云端对话模型</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="203"/>
        <location filename="../settings_dialog.py" line="204"/>
        <source>Embedding model</source>
        <translation>嵌入模型</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="208"/>
        <source>&quot;builtin&quot; works offline; &quot;ollama:bge-m3&quot; uses a local Ollama model; &quot;onnx:/path/to/folder&quot; uses an ONNX model folder. After a change, every knowledge base is re-embedded in the background; searches use the old vectors until it is done.</source>
        <translation>“builtin”可离线使用；“ollama:bge-m3”使用本地 Ollama 模型；“onnx:/文件夹/路径”使用 ONNX 模型文件夹。更改后，所有知识库会在后台重新向量化；完成前搜索仍使用旧向量。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="218"/>
        <source>Passages per answer</source>
        <translation>每次回答的段落数</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="219"/>
        <source>Prefer diverse passages</source>
        <translation>优先选择多样的段落</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="225"/>
        <source>Chunk size (tokens)</source>
        <translation>片段大小（词元）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="229"/>
        <source>Chunk overlap (tokens)</source>
        <translation>片段重叠（词元）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="267"/>
        <source>Remove personal data from text sent to the cloud</source>
        <translation>从发往云端的文本中移除个人信息</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="271"/>
        <source>Extra patterns to remove</source>
        <translation>要移除的附加模式</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="273"/>
        <source>Extra patterns (one per line)</source>
        <translation>附加模式（每行一个）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="139"/>
        <source>Without a keyring, keep the API key in a private file</source>
        <translation>没有密钥环时，将 API 密钥保存在私有文件中</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="279"/>
        <location filename="../settings_dialog.py" line="280"/>
        <source>Data location</source>
        <translation>数据位置</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="282"/>
        <source>Documents, the index and conversations stay in this folder.</source>
        <translation>文档、索引和对话都保存在此文件夹中。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="295"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="296"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="297"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="301"/>
        <location filename="../settings_dialog.py" line="302"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="305"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="307"/>
        <location filename="../settings_dialog.py" line="308"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="319"/>
        <source>Not reachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="181"/>
        <source>This server is not on this computer: your questions and passages from your documents are sent to it (encrypted, https).</source>
        <translation>此服务器不在这台计算机上：您的问题和文档片段会发送到该服务器（已加密，https）。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="186"/>
        <source>This server is not on this computer: your questions and passages from your documents travel to it unencrypted. Use https, or a server on this computer.</source>
        <translation>此服务器不在这台计算机上：您的问题和文档片段会以未加密的方式传送到该服务器。请使用 https，或使用这台计算机上的服务器。</translation>
    </message>
    <message numerus="yes">
        <location filename="../settings_dialog.py" line="314"/>
        <source>Connected: Ollama %1, %2 ms, %n models</source>
        <translation>
            <numerusform>已连接：Ollama %1，%2 毫秒，%n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="339"/>
        <source>the OLLAMA_API_KEY environment variable</source>
        <translation>环境变量 OLLAMA_API_KEY</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="341"/>
        <source>no API key is set</source>
        <translation>未设置 API 密钥</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="342"/>
        <source>no secure keyring on this system</source>
        <translation>此系统上没有安全的密钥环</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="348"/>
        <source>the system keyring (%1)</source>
        <translation>系统密钥环（%1）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="351"/>
        <source>the key file %1</source>
        <translation>密钥文件 %1</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="354"/>
        <source>(readable only by you). Warning: a file is less safe than a system keyring; anyone who can use your account can read it.</source>
        <translation>（仅您可读）。警告：文件不如系统密钥环安全；任何能使用您账户的人都能读取它。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="101"/>
        <source>Set by %1 in the environment Hearth was started from; remove it there to choose the address here.</source>
        <translation>由启动 Hearth 的环境中的 %1 设定；在那里移除它后才能在此选择地址。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="230"/>
        <source>Read scans and pictures of pages (OCR)</source>
        <translation>识别扫描件和页面图片（OCR）</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="236"/>
        <source>Scanned PDF pages and pictures (PNG, JPEG, TIFF, WebP) are read offline in English, Russian and Chinese, a few seconds a page. Off: they are left out. Applies to files indexed from now on.</source>
        <translation>扫描的 PDF 页面和图片（PNG、JPEG、TIFF、WebP）在本机离线识别，支持英文、俄文和中文，每页需数秒。关闭后将跳过这些文件和页面。对此后索引的文件生效。</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="71"/>
        <source>Settings sections</source>
        <translation>设置分区</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="244"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="246"/>
        <source>Time limit per file</source>
        <translation>每个文件的时间上限</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="250"/>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="252"/>
        <source>Memory limit per file</source>
        <translation>每个文件的内存上限</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="256"/>
        <source>A file whose reading takes longer or uses more memory is stopped and marked as failed; the other files go on.</source>
        <translation>读取超时或占用内存超限的文件会被停止并标记为失败；其他文件照常处理。</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../sidebar.py" line="187"/>
        <location filename="../sidebar.py" line="300"/>
        <source>Knowledge</source>
        <translation>知识</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="223"/>
        <location filename="../sidebar.py" line="308"/>
        <source>Knowledge bases and documents</source>
        <translation>知识库与文档</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="230"/>
        <location filename="../sidebar.py" line="309"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="231"/>
        <location filename="../sidebar.py" line="310"/>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="234"/>
        <location filename="../sidebar.py" line="311"/>
        <source>Files…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="235"/>
        <location filename="../sidebar.py" line="311"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="236"/>
        <location filename="../sidebar.py" line="311"/>
        <source>Watch folder…</source>
        <translation>监视文件夹…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="239"/>
        <location filename="../sidebar.py" line="314"/>
        <location filename="../sidebar.py" line="725"/>
        <source>Re-index</source>
        <translation>重新索引</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="241"/>
        <location filename="../sidebar.py" line="315"/>
        <location filename="../sidebar.py" line="727"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="252"/>
        <location filename="../sidebar.py" line="270"/>
        <location filename="../sidebar.py" line="307"/>
        <location filename="../sidebar.py" line="321"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="255"/>
        <location filename="../sidebar.py" line="316"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="256"/>
        <location filename="../sidebar.py" line="317"/>
        <source>New chat (Ctrl+N)</source>
        <translation>新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="262"/>
        <location filename="../sidebar.py" line="263"/>
        <location filename="../sidebar.py" line="318"/>
        <location filename="../sidebar.py" line="319"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="284"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="285"/>
        <source>indexing</source>
        <translation>索引中</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="286"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="287"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="724"/>
        <location filename="../sidebar.py" line="752"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="753"/>
        <source>Export to Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="754"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="766"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="766"/>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="401"/>
        <location filename="../sidebar.py" line="533"/>
        <source>%n documents</source>
        <translation>
            <numerusform>%n 个文档</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="402"/>
        <location filename="../sidebar.py" line="599"/>
        <source>%n chunks</source>
        <translation>
            <numerusform>%n 个片段</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="191"/>
        <location filename="../sidebar.py" line="301"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="192"/>
        <location filename="../sidebar.py" line="193"/>
        <location filename="../sidebar.py" line="302"/>
        <location filename="../sidebar.py" line="303"/>
        <location filename="../sidebar.py" line="490"/>
        <source>New knowledge base</source>
        <translation>新建知识库</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="198"/>
        <location filename="../sidebar.py" line="304"/>
        <source>Ask in</source>
        <translation>提问范围</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="201"/>
        <location filename="../sidebar.py" line="202"/>
        <location filename="../sidebar.py" line="305"/>
        <location filename="../sidebar.py" line="306"/>
        <source>Knowledge base for questions and new documents</source>
        <translation>用于提问和新文档的知识库</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="490"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="723"/>
        <source>Ask in this knowledge base</source>
        <translation>在此知识库中提问</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="326"/>
        <source>Clear search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="327"/>
        <source>Clear search (Esc)</source>
        <translation>清除搜索（Esc）</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="575"/>
        <source>read by OCR</source>
        <translation>经 OCR 识别</translation>
    </message>
    <message numerus="yes">
        <location filename="../sidebar.py" line="579"/>
        <source>low confidence on pages %1</source>
        <translation>
            <numerusform>第 %1 页识别可信度低</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="584"/>
        <source>repaired text encoding</source>
        <translation>已修复文本编码</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="717"/>
        <source>Compare these documents</source>
        <translation>比较这些文档</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="719"/>
        <source>Ask about this document</source>
        <translation>询问此文档</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="405"/>
        <source>Ticked: questions search it</source>
        <translation>已勾选：提问时也会搜索它</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="481"/>
        <source>Rename knowledge base</source>
        <translation>重命名知识库</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="481"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
</context>
<context>
    <name>SourceView</name>
    <message>
        <location filename="../source_view.py" line="209"/>
        <source>‹ Previous source</source>
        <translation>‹ 上一个来源</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="210"/>
        <source>Next source ›</source>
        <translation>下一个来源 ›</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="211"/>
        <source>Open in the system viewer</source>
        <translation>用系统查看器打开</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="212"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="213"/>
        <source>Document text</source>
        <translation>文档文本</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="214"/>
        <source>Page</source>
        <translation>页面</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="299"/>
        <source>Opening the document…</source>
        <translation>正在打开文档…</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="319"/>
        <source>page %1 of %2</source>
        <translation>第 %1 页，共 %2 页</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="323"/>
        <source>page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="326"/>
        <source>Source [%1]</source>
        <translation>来源 [%1]</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="328"/>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="342"/>
        <source>The passage was not found as it was indexed: the file may have changed since. Add it again to cite it as it is now.</source>
        <translation>未能按索引时的样子找到这段文字：文件可能已被修改。请重新添加该文件，以便引用其当前内容。</translation>
    </message>
    <message>
        <location filename="../source_view.py" line="347"/>
        <source>This page is a picture: its text was read by OCR, and the marks show the lines it read. Check the wording against the picture.</source>
        <translation>此页是一张图片：其文字由 OCR 识别，标记显示识别出的各行。请对照图片核对文字。</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../top_bar.py" line="153"/>
        <location filename="../top_bar.py" line="195"/>
        <location filename="../top_bar.py" line="285"/>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="153"/>
        <location filename="../top_bar.py" line="195"/>
        <location filename="../top_bar.py" line="285"/>
        <source>Cloud</source>
        <translation>云端</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="153"/>
        <location filename="../top_bar.py" line="195"/>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="157"/>
        <location filename="../top_bar.py" line="199"/>
        <source>Answer with: %1</source>
        <translation>回答方式：%1</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="170"/>
        <location filename="../top_bar.py" line="201"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="174"/>
        <location filename="../top_bar.py" line="175"/>
        <location filename="../top_bar.py" line="202"/>
        <location filename="../top_bar.py" line="263"/>
        <source>Model (Ctrl+K)</source>
        <translation>模型（Ctrl+K）</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="179"/>
        <location filename="../top_bar.py" line="204"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="181"/>
        <location filename="../top_bar.py" line="205"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="287"/>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="295"/>
        <source>not reachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="221"/>
        <source>this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="222"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="223"/>
        <source>Ollama Cloud, through local Ollama</source>
        <translation>Ollama Cloud（经本地 Ollama）</translation>
    </message>
    <message>
        <location filename="../top_bar.py" line="257"/>
        <source>%1: answers are written on %2</source>
        <translation>%1（回答生成位置：%2）</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../welcome_dialog.py" line="31"/>
        <location filename="../welcome_dialog.py" line="35"/>
        <source>Welcome to Hearth</source>
        <translation>欢迎使用 Hearth</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="41"/>
        <source>Hearth answers questions from your own documents and cites the passages it used. Your documents are indexed on this computer.</source>
        <translation>Hearth 根据您自己的文档回答问题，并注明所用的段落。文档在这台电脑上建立索引。</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="47"/>
        <source>Ollama on this computer</source>
        <translation>这台电脑上的 Ollama</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="49"/>
        <source>Looking for Ollama…</source>
        <translation>正在查找 Ollama…</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="54"/>
        <source>Ollama Cloud (optional)</source>
        <translation>Ollama Cloud（可选）</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="59"/>
        <source>When this computer is too small for a model, answers can be written by Ollama Cloud with an API key. Nothing goes to the cloud unless you turn it on, and every answer from the cloud is marked.</source>
        <translation>当这台电脑运行不了某个模型时，可以凭 API 密钥由 Ollama Cloud 来回答。除非您开启，否则不会向云端发送任何内容，且每条来自云端的回答都有标记。</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="68"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="70"/>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="72"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../welcome_dialog.py" line="89"/>
        <source>Ollama is not running at %1. Install it from ollama.com, start it with “ollama serve”, then pull a model: “ollama pull llama3.2”.</source>
        <translation>Ollama 未在 %1 运行。请从 ollama.com 安装，用“ollama serve”启动，然后下载模型：“ollama pull llama3.2”。</translation>
    </message>
    <message numerus="yes">
        <location filename="../welcome_dialog.py" line="84"/>
        <source>Found Ollama %1 at %2 with %n models.</source>
        <translation>
            <numerusform>在 %2 找到 Ollama %1，共 %n 个模型。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../crash.py" line="50"/>
        <source>Hearth hit a problem</source>
        <translation>Hearth 遇到了问题</translation>
    </message>
    <message>
        <location filename="../crash.py" line="51"/>
        <source>Something unexpected went wrong. Your documents and chats are safe.</source>
        <translation>发生了意外错误。你的文档和对话都安然无恙。</translation>
    </message>
    <message>
        <location filename="../crash.py" line="53"/>
        <source>If it happens again, copy the report and send it to us; it contains no keys.</source>
        <translation>如果再次发生，请复制报告并发送给我们；报告中不含任何密钥。</translation>
    </message>
    <message>
        <location filename="../crash.py" line="56"/>
        <source>Copy report</source>
        <translation>复制报告</translation>
    </message>
</context>
</TS>
