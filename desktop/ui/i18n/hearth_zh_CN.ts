<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatController</name>
    <message>
        <location filename="../controllers.py" line="251"/>
        <source>Searching your documents…</source>
        <translation>正在搜索您的文档…</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="262"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="291"/>
        <source>Waiting for the model to answer…</source>
        <translation>正在等待模型回答…</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="293"/>
        <source>Still waiting for the model: one that is loading into memory can take a minute. Esc stops.</source>
        <translation>仍在等待模型：模型加载到内存可能需要一分钟。按 Esc 停止。</translation>
    </message>
</context>
<context>
    <name>ChatDocument</name>
    <message>
        <location filename="../render.py" line="405"/>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../render.py" line="412"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat_view.py" line="244"/>
        <location filename="../chat_view.py" line="386"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="263"/>
        <location filename="../chat_view.py" line="388"/>
        <source>Ask a question… (Enter sends, Shift+Enter adds a line)</source>
        <translation>输入问题…（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="265"/>
        <location filename="../chat_view.py" line="390"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="271"/>
        <location filename="../chat_view.py" line="391"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="273"/>
        <location filename="../chat_view.py" line="392"/>
        <source>Send question</source>
        <translation>发送问题</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="275"/>
        <location filename="../chat_view.py" line="393"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="276"/>
        <location filename="../chat_view.py" line="394"/>
        <source>Stop the answer</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="277"/>
        <location filename="../chat_view.py" line="395"/>
        <source>Stop the answer (Esc)</source>
        <translation>停止回答（Esc）</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="441"/>
        <source>Editing a question: Enter resends it</source>
        <translation>正在编辑问题：按 Enter 重新发送</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="335"/>
        <location filename="../chat_view.py" line="612"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="329"/>
        <location filename="../chat_view.py" line="614"/>
        <location filename="../chat_view.py" line="673"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="618"/>
        <source>Thinking</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="637"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="652"/>
        <source>Also searched (%1)</source>
        <translation>另检索到 (%1)</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="681"/>
        <source>p. %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="667"/>
        <source>Cloud</source>
        <translation>云端</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="670"/>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="331"/>
        <location filename="../chat_view.py" line="675"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="333"/>
        <location filename="../chat_view.py" line="688"/>
        <location filename="../chat_view.py" line="707"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="330"/>
        <source>Copy the answer</source>
        <translation>复制回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="332"/>
        <source>Write the answer again</source>
        <translation>重新生成回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="334"/>
        <source>Try the failed answer again</source>
        <translation>重试失败的回答</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="336"/>
        <source>Edit the question and send it again</source>
        <translation>编辑问题并重新发送</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="357"/>
        <source>Sources (%1)</source>
        <translation>来源（%1）</translation>
    </message>
</context>
<context>
    <name>CitationPreview</name>
    <message>
        <location filename="../chat_view.py" line="88"/>
        <source>Source [%1]</source>
        <translation>来源 [%1]</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="96"/>
        <source>page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="108"/>
        <source>Passage</source>
        <translation>段落</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="112"/>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="115"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>DocumentsController</name>
    <message>
        <location filename="../controllers.py" line="433"/>
        <source>Waiting for the other Hearth process to finish…</source>
        <translation>正在等待另一个 Hearth 进程完成…</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="438"/>
        <source>The other Hearth process has finished.</source>
        <translation>另一个 Hearth 进程已完成。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="452"/>
        <source>Indexing cancelled; finished files were kept.</source>
        <translation>索引已取消；已完成的文件已保留。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="503"/>
        <source>Re-embedding “%1” with the new embedding model…</source>
        <translation>正在用新的嵌入模型重新向量化“%1”…</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="508"/>
        <source>Re-embedding finished.</source>
        <translation>重新向量化已完成。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="516"/>
        <source>%1 ready, %2 unchanged, %3 failed</source>
        <translation>%1 个完成，%2 个未变，%3 个失败</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="523"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="526"/>
        <source>reading</source>
        <translation>读取中</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="529"/>
        <source>embedding %1%</source>
        <translation>向量化 %1%</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="537"/>
        <source>unchanged</source>
        <translation>未变化</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="540"/>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="543"/>
        <source>removed (file is gone)</source>
        <translation>已移除（文件已不存在）</translation>
    </message>
    <message numerus="yes">
        <location filename="../controllers.py" line="532"/>
        <source>ready · %n chunks</source>
        <translation>
            <numerusform>就绪 · %n 个片段</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <location filename="../widgets.py" line="921"/>
        <location filename="../widgets.py" line="936"/>
        <source>Drop to add</source>
        <translation>松开即可添加</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets.py" line="941"/>
        <source>%n items into the knowledge base “%1”</source>
        <translation>
            <numerusform>%n 项，放入知识库“%1”</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../chat_view.py" line="169"/>
        <source>No model can answer yet</source>
        <translation>暂时没有可用的模型</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="172"/>
        <source>Start Ollama on this computer (ollama serve) and pull a model, or add an Ollama Cloud API key in Settings.</source>
        <translation>请在这台电脑上启动 Ollama（ollama serve）并下载一个模型，或在设置中添加 Ollama Cloud API 密钥。</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="176"/>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="179"/>
        <source>Ask about your documents</source>
        <translation>就您的文档提问</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="180"/>
        <source>Answers cite the passages they use. Press Enter to send.</source>
        <translation>回答会引用所用的段落。按 Enter 发送。</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="181"/>
        <location filename="../chat_view.py" line="191"/>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="184"/>
        <source>Drop documents here to begin</source>
        <translation>将文档拖到这里开始</translation>
    </message>
    <message>
        <location filename="../chat_view.py" line="187"/>
        <source>Drag files or folders anywhere onto this window, or use Add. PDF, Word, Markdown, text, HTML and more are indexed on this computer.</source>
        <translation>将文件或文件夹拖到窗口任意位置，或点击“添加”。PDF、Word、Markdown、文本、HTML 等格式都在这台电脑上建立索引。</translation>
    </message>
</context>
<context>
    <name>IngestPanel</name>
    <message>
        <location filename="../widgets.py" line="842"/>
        <location filename="../widgets.py" line="866"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="843"/>
        <location filename="../widgets.py" line="867"/>
        <source>Cancel indexing</source>
        <translation>取消索引</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="850"/>
        <location filename="../widgets.py" line="868"/>
        <source>Overall indexing progress</source>
        <translation>总体索引进度</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="853"/>
        <location filename="../widgets.py" line="869"/>
        <source>Files being indexed</source>
        <translation>正在索引的文件</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="875"/>
        <source>Looking for files…</source>
        <translation>正在查找文件…</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets.py" line="897"/>
        <source>Indexing: %1 of %n files</source>
        <translation>
            <numerusform>正在索引：第 %1 个，共 %n 个文件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="125"/>
        <location filename="../main_window.py" line="274"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="412"/>
        <source>No application on this computer opens %1. It is in the folder %2.</source>
        <translation>此电脑上没有可以打开 %1 的应用程序。它位于文件夹 %2 中。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="129"/>
        <location filename="../main_window.py" line="273"/>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="145"/>
        <location filename="../main_window.py" line="276"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="210"/>
        <location filename="../main_window.py" line="278"/>
        <source>Data folder: %1</source>
        <translation>数据文件夹：%1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="354"/>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="360"/>
        <source>Add a folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="365"/>
        <source>Watch a folder</source>
        <translation>监视文件夹</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="390"/>
        <source>Remove “%1” from the knowledge base?</source>
        <translation>要从知识库中移除“%1”吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="392"/>
        <source>Remove the knowledge base “%1” and its index?</source>
        <translation>要移除知识库“%1”及其索引吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="394"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="453"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="453"/>
        <source>Delete this conversation?</source>
        <translation>要删除此对话吗？</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="471"/>
        <source>Export to Markdown</source>
        <translation>导出为 Markdown</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="483"/>
        <source>The conversation could not be saved.</source>
        <translation>无法保存对话。</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="484"/>
        <source>Saved to %1</source>
        <translation>已保存到 %1</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="351"/>
        <source>Supported documents (%1)</source>
        <translation>支持的文档 (%1)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="352"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <location filename="../admin.py" line="213"/>
        <source>Add an Ollama Cloud API key in Settings to see the catalogue.</source>
        <translation>在设置中添加 Ollama Cloud API 密钥即可查看模型目录。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="245"/>
        <source>Pull cancelled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="247"/>
        <source>%1 is ready.</source>
        <translation>%1 已就绪。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="257"/>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <location filename="../admin.py" line="258"/>
        <source>Delete %1 from this computer?</source>
        <translation>要从这台电脑删除 %1 吗？</translation>
    </message>
    <message>
        <location filename="../admin.py" line="300"/>
        <source>Launch runs: %1</source>
        <translation>启动时运行：%1</translation>
    </message>
    <message>
        <location filename="../admin.py" line="313"/>
        <source>Launch Claude Code in</source>
        <translation>在此文件夹中启动 Claude Code</translation>
    </message>
    <message>
        <location filename="../admin.py" line="321"/>
        <source>Claude Code could not be started.</source>
        <translation>无法启动 Claude Code。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="198"/>
        <source>Answers are now written by %1 in Ollama Cloud.</source>
        <translation>现在由 Ollama Cloud 中的 %1 撰写回答。</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <location filename="../dialogs.py" line="401"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="405"/>
        <source>On this computer</source>
        <translation>这台电脑</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="406"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="407"/>
        <source>Claude Code</source>
        <translation>Claude Code</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="410"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="418"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="419"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="420"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="421"/>
        <source>Quantisation</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="422"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="433"/>
        <source>Installed models</source>
        <translation>已安装的模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="438"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="443"/>
        <source>Model name, e.g. llama3.2</source>
        <translation>模型名称，例如 llama3.2</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="444"/>
        <source>Model to pull</source>
        <translation>要下载的模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="445"/>
        <source>Pull</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="447"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="448"/>
        <source>Cancel the pull</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="456"/>
        <source>Pull progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="459"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="459"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="473"/>
        <source>Cloud models</source>
        <translation>云端模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="501"/>
        <source>Claude Code can write code with an Ollama model instead of Anthropic&apos;s. Choose a model, copy the environment into a terminal, or launch it here.</source>
        <translation>Claude Code 可以使用 Ollama 模型代替 Anthropic 的模型编写代码。选择一个模型，将环境变量复制到终端，或直接在此启动。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="509"/>
        <location filename="../dialogs.py" line="512"/>
        <source>Model for Claude Code</source>
        <translation>Claude Code 使用的模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="513"/>
        <source>Show environment</source>
        <translation>显示环境变量</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="521"/>
        <source>Let Claude Code search my documents (Hearth&apos;s tools, over MCP)</source>
        <translation>允许 Claude Code 搜索我的文档（通过 MCP 使用 Hearth 的工具）</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="524"/>
        <source>Give Claude Code the knowledge-base tools</source>
        <translation>为 Claude Code 提供知识库工具</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="531"/>
        <source>Claude Code environment</source>
        <translation>Claude Code 环境变量</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="534"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="538"/>
        <source>Launch in folder…</source>
        <translation>在文件夹中启动…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="584"/>
        <source>Pulling %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="596"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="461"/>
        <source>Pull progress by layer</source>
        <translation>各层下载进度</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="474"/>
        <source>Answer with this model</source>
        <translation>用此模型回答</translation>
    </message>
</context>
<context>
    <name>ProviderController</name>
    <message>
        <location filename="../controllers.py" line="645"/>
        <source>off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="648"/>
        <source>no API key</source>
        <translation>无 API 密钥</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="783"/>
        <source>Ollama Cloud is turned off, so nothing will be sent there.</source>
        <translation>Ollama Cloud 已关闭，不会向其发送任何内容。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="784"/>
        <source>Turn it on in Settings, and add an API key.</source>
        <translation>请在设置中开启并添加 API 密钥。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="758"/>
        <source>Turn on Ollama Cloud in Settings</source>
        <translation>请在设置中开启 Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="760"/>
        <source>Add an Ollama Cloud API key in Settings</source>
        <translation>请在设置中添加 Ollama Cloud API 密钥</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="761"/>
        <source>Fetching the Ollama Cloud catalogue…</source>
        <translation>正在获取 Ollama Cloud 模型目录…</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="763"/>
        <source>Start Ollama to see its models</source>
        <translation>启动 Ollama 以查看其模型</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="764"/>
        <source>Pull a model in Models</source>
        <translation>请在“模型”中拉取模型</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="685"/>
        <source>Local Ollama is not reachable at %1.</source>
        <translation>无法连接本地 Ollama（%1）。</translation>
    </message>
    <message>
        <location filename="../controllers.py" line="687"/>
        <source>Start Ollama (open the Ollama app, or run “ollama serve” in a terminal), then ask again; or check the address in Settings.</source>
        <translation>请启动 Ollama（打开 Ollama 应用，或在终端运行“ollama serve”）后再提问；或在设置中检查地址。</translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <location filename="../admin.py" line="77"/>
        <source>No API key is set.</source>
        <translation>尚未设置 API 密钥。</translation>
    </message>
    <message>
        <location filename="../admin.py" line="160"/>
        <source>Now embedding with %1; knowledge bases are re-embedded in the background and searches use their old vectors until then.</source>
        <translation>现在使用 %1 生成向量；知识库将在后台重新嵌入，在此之前搜索仍使用原有向量。</translation>
    </message>
    <message numerus="yes">
        <location filename="../admin.py" line="88"/>
        <source>Connected: %n cloud models</source>
        <translation>
            <numerusform>已连接：%n 个云端模型</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../dialogs.py" line="76"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="83"/>
        <source>Connections</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="84"/>
        <location filename="../dialogs.py" line="174"/>
        <source>Answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="85"/>
        <source>Privacy and data</source>
        <translation>隐私与数据</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="86"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="91"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="92"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="101"/>
        <source>Local Ollama server</source>
        <translation>本地 Ollama 服务器</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="104"/>
        <source>Local server URL</source>
        <translation>本地服务器地址</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="105"/>
        <source>URL</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="123"/>
        <location filename="../dialogs.py" line="151"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="133"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="135"/>
        <source>Allow answers from Ollama Cloud</source>
        <translation>允许由 Ollama Cloud 回答</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="140"/>
        <source>Paste a key from ollama.com/settings/keys</source>
        <translation>粘贴来自 ollama.com/settings/keys 的密钥</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="141"/>
        <source>Cloud API key</source>
        <translation>云端 API 密钥</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="142"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="323"/>
        <source>Current key: %1</source>
        <translation>当前密钥：%1</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="149"/>
        <source>Save key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="152"/>
        <source>Test cloud connection</source>
        <translation>测试云端连接</translation>
    </message>
    <message>
        <source>Auto mode</source>
        <translation type="vanished">自动模式</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="167"/>
        <source>Auto: local when it has the model, else the cloud</source>
        <translation>自动：本地有模型时用本地，否则用云端</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="168"/>
        <source>Local only</source>
        <translation>仅本地</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="169"/>
        <source>Cloud only</source>
        <translation>仅云端</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="163"/>
        <location filename="../dialogs.py" line="173"/>
        <source>Where answers are written</source>
        <translation>由谁来回答</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="203"/>
        <location filename="../dialogs.py" line="204"/>
        <source>Local chat model</source>
        <translation>本地对话模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="206"/>
        <location filename="../dialogs.py" line="207"/>
        <source>Cloud chat model</source>
        <translation>云端对话模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="209"/>
        <location filename="../dialogs.py" line="210"/>
        <source>Embedding model</source>
        <translation>嵌入模型</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="214"/>
        <source>&quot;builtin&quot; works offline; &quot;ollama:bge-m3&quot; uses a local Ollama model; &quot;onnx:/path/to/folder&quot; uses an ONNX model folder. After a change, every knowledge base is re-embedded in the background; searches use the old vectors until it is done.</source>
        <translation>“builtin”可离线使用；“ollama:bge-m3”使用本地 Ollama 模型；“onnx:/文件夹/路径”使用 ONNX 模型文件夹。更改后，所有知识库会在后台重新向量化；完成前搜索仍使用旧向量。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="224"/>
        <source>Passages per answer</source>
        <translation>每次回答的段落数</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="225"/>
        <source>Prefer diverse passages</source>
        <translation>优先选择多样的段落</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="231"/>
        <source>Chunk size (tokens)</source>
        <translation>片段大小（词元）</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="235"/>
        <source>Chunk overlap (tokens)</source>
        <translation>片段重叠（词元）</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="238"/>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="240"/>
        <source>Time limit per file</source>
        <translation>每个文件的时间上限</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="244"/>
        <source> MB</source>
        <translation> MB</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="246"/>
        <source>Memory limit per file</source>
        <translation>每个文件的内存上限</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="250"/>
        <source>A file whose reading takes longer or uses more memory is stopped and marked as failed; the other files go on.</source>
        <translation>读取超时或占用内存超限的文件会被停止并标记为失败；其他文件照常处理。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="261"/>
        <source>Remove personal data from text sent to the cloud</source>
        <translation>从发往云端的文本中移除个人信息</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="265"/>
        <source>Extra patterns to remove</source>
        <translation>要移除的附加模式</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="267"/>
        <source>Extra patterns (one per line)</source>
        <translation>附加模式（每行一个）</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="268"/>
        <source>Without a keyring, keep the API key in a private file</source>
        <translation>没有密钥环时，将 API 密钥保存在私有文件中</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="276"/>
        <location filename="../dialogs.py" line="277"/>
        <source>Data location</source>
        <translation>数据位置</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="278"/>
        <source>Documents, the index and conversations stay in this folder.</source>
        <translation>文档、索引和对话都保存在此文件夹中。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="287"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="288"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="289"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="293"/>
        <location filename="../dialogs.py" line="294"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="297"/>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="299"/>
        <location filename="../dialogs.py" line="300"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="311"/>
        <source>Not reachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="187"/>
        <source>This server is not on this computer: your questions and passages from your documents are sent to it (encrypted, https).</source>
        <translation>此服务器不在这台计算机上：您的问题和文档片段会发送到该服务器（已加密，https）。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="192"/>
        <source>This server is not on this computer: your questions and passages from your documents travel to it unencrypted. Use https, or a server on this computer.</source>
        <translation>此服务器不在这台计算机上：您的问题和文档片段会以未加密的方式传送到该服务器。请使用 https，或使用这台计算机上的服务器。</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs.py" line="306"/>
        <source>Connected: Ollama %1, %2 ms, %n models</source>
        <translation>
            <numerusform>已连接：Ollama %1，%2 毫秒，%n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="331"/>
        <source>the OLLAMA_API_KEY environment variable</source>
        <translation>环境变量 OLLAMA_API_KEY</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="333"/>
        <source>no API key is set</source>
        <translation>未设置 API 密钥</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="334"/>
        <source>no secure keyring on this system</source>
        <translation>此系统上没有安全的密钥环</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="340"/>
        <source>the system keyring (%1)</source>
        <translation>系统密钥环（%1）</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="343"/>
        <source>the key file %1</source>
        <translation>密钥文件 %1</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="346"/>
        <source>(readable only by you). Warning: a file is less safe than a system keyring; anyone who can use your account can read it.</source>
        <translation>（仅您可读）。警告：文件不如系统密钥环安全；任何能使用您账户的人都能读取它。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="112"/>
        <source>Set by %1 in the environment Hearth was started from; remove it there to choose the address here.</source>
        <translation>由启动 Hearth 的环境中的 %1 设定；在那里移除它后才能在此选择地址。</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../widgets.py" line="338"/>
        <location filename="../widgets.py" line="443"/>
        <source>Knowledge</source>
        <translation>知识</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="370"/>
        <location filename="../widgets.py" line="451"/>
        <source>Knowledge bases and documents</source>
        <translation>知识库与文档</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="377"/>
        <location filename="../widgets.py" line="452"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="378"/>
        <location filename="../widgets.py" line="453"/>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="381"/>
        <location filename="../widgets.py" line="454"/>
        <source>Files…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="382"/>
        <location filename="../widgets.py" line="454"/>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="383"/>
        <location filename="../widgets.py" line="454"/>
        <source>Watch folder…</source>
        <translation>监视文件夹…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="386"/>
        <location filename="../widgets.py" line="457"/>
        <location filename="../widgets.py" line="766"/>
        <source>Re-index</source>
        <translation>重新索引</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="388"/>
        <location filename="../widgets.py" line="458"/>
        <location filename="../widgets.py" line="768"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="395"/>
        <location filename="../widgets.py" line="413"/>
        <location filename="../widgets.py" line="450"/>
        <location filename="../widgets.py" line="464"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="398"/>
        <location filename="../widgets.py" line="459"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="399"/>
        <location filename="../widgets.py" line="460"/>
        <source>New chat (Ctrl+N)</source>
        <translation>新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="405"/>
        <location filename="../widgets.py" line="406"/>
        <location filename="../widgets.py" line="461"/>
        <location filename="../widgets.py" line="462"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="427"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="428"/>
        <source>indexing</source>
        <translation>索引中</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="429"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="430"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="793"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="794"/>
        <source>Export to Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="795"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="807"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="807"/>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets.py" line="544"/>
        <location filename="../widgets.py" line="622"/>
        <source>%n documents</source>
        <translation>
            <numerusform>%n 个文档</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets.py" line="545"/>
        <location filename="../widgets.py" line="664"/>
        <source>%n chunks</source>
        <translation>
            <numerusform>%n 个片段</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets.py" line="342"/>
        <location filename="../widgets.py" line="444"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="343"/>
        <location filename="../widgets.py" line="344"/>
        <location filename="../widgets.py" line="445"/>
        <location filename="../widgets.py" line="446"/>
        <location filename="../widgets.py" line="579"/>
        <source>New knowledge base</source>
        <translation>新建知识库</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="349"/>
        <location filename="../widgets.py" line="447"/>
        <source>Ask in</source>
        <translation>提问范围</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="352"/>
        <location filename="../widgets.py" line="353"/>
        <location filename="../widgets.py" line="448"/>
        <location filename="../widgets.py" line="449"/>
        <source>Knowledge base for questions and new documents</source>
        <translation>用于提问和新文档的知识库</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="579"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="765"/>
        <source>Ask in this knowledge base</source>
        <translation>在此知识库中提问</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="469"/>
        <source>Clear search</source>
        <translation>清除搜索</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="470"/>
        <source>Clear search (Esc)</source>
        <translation>清除搜索（Esc）</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../widgets.py" line="139"/>
        <location filename="../widgets.py" line="182"/>
        <location filename="../widgets.py" line="248"/>
        <source>Local</source>
        <translation>本地</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="139"/>
        <location filename="../widgets.py" line="182"/>
        <location filename="../widgets.py" line="248"/>
        <source>Cloud</source>
        <translation>云端</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="139"/>
        <location filename="../widgets.py" line="182"/>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="143"/>
        <location filename="../widgets.py" line="186"/>
        <source>Answer with: %1</source>
        <translation>回答方式：%1</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="156"/>
        <location filename="../widgets.py" line="188"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="161"/>
        <location filename="../widgets.py" line="162"/>
        <location filename="../widgets.py" line="189"/>
        <location filename="../widgets.py" line="190"/>
        <source>Model (Ctrl+K)</source>
        <translation>模型（Ctrl+K）</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="166"/>
        <location filename="../widgets.py" line="192"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="168"/>
        <location filename="../widgets.py" line="193"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="250"/>
        <source>checking…</source>
        <translation>检查中…</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="258"/>
        <source>not reachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="209"/>
        <source>this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="210"/>
        <source>Ollama Cloud</source>
        <translation>Ollama Cloud</translation>
    </message>
    <message>
        <location filename="../widgets.py" line="211"/>
        <source>Ollama Cloud, through local Ollama</source>
        <translation>Ollama Cloud（经本地 Ollama）</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../dialogs.py" line="642"/>
        <location filename="../dialogs.py" line="646"/>
        <source>Welcome to Hearth</source>
        <translation>欢迎使用 Hearth</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="652"/>
        <source>Hearth answers questions from your own documents and cites the passages it used. Your documents are indexed on this computer.</source>
        <translation>Hearth 根据您自己的文档回答问题，并注明所用的段落。文档在这台电脑上建立索引。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="658"/>
        <source>Ollama on this computer</source>
        <translation>这台电脑上的 Ollama</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="660"/>
        <source>Looking for Ollama…</source>
        <translation>正在查找 Ollama…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="665"/>
        <source>Ollama Cloud (optional)</source>
        <translation>Ollama Cloud（可选）</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="670"/>
        <source>When this computer is too small for a model, answers can be written by Ollama Cloud with an API key. Nothing goes to the cloud unless you turn it on, and every answer from the cloud is marked.</source>
        <translation>当这台电脑运行不了某个模型时，可以凭 API 密钥由 Ollama Cloud 来回答。除非您开启，否则不会向云端发送任何内容，且每条来自云端的回答都有标记。</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="679"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="681"/>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="683"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../dialogs.py" line="700"/>
        <source>Ollama is not running at %1. Install it from ollama.com, start it with “ollama serve”, then pull a model: “ollama pull llama3.2”.</source>
        <translation>Ollama 未在 %1 运行。请从 ollama.com 安装，用“ollama serve”启动，然后下载模型：“ollama pull llama3.2”。</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs.py" line="695"/>
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
