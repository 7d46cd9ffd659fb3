<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>facet::ApiKeys</name>
    <message>
        <source>no application object for the keychain</source>
        <translation>没有可供钥匙串使用的应用程序对象</translation>
    </message>
    <message>
        <source>the keychain did not answer</source>
        <translation>钥匙串没有响应</translation>
    </message>
    <message>
        <source>this build has no keychain support; set the key in the environment</source>
        <translation>此版本不支持钥匙串；请在环境变量中设置密钥</translation>
    </message>
    <message>
        <source>this build has no keychain support</source>
        <translation>此版本不支持钥匙串</translation>
    </message>
</context>
<context>
    <name>facet::ChatExchange</name>
    <message>
        <source>empty reply</source>
        <translation>回复为空</translation>
    </message>
    <message>
        <source>HTTP %1, then the connection failed: %2</source>
        <translation>HTTP %1，随后连接失败：%2</translation>
    </message>
    <message>
        <source>connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <source>HTTP %1: %2</source>
        <translation>HTTP %1：%2</translation>
    </message>
    <message>
        <source>the account has no credit left (HTTP %1: %2); check the plan and billing details, then resume the job</source>
        <translation>账户余额不足（HTTP %1：%2）；请检查套餐和账单信息，然后继续任务</translation>
    </message>
    <message>
        <source>the server refused the API key (HTTP 401: %1); set a valid key and resume the job</source>
        <translation>服务器拒绝了 API 密钥（HTTP 401：%1）；请设置有效的密钥后继续任务</translation>
    </message>
    <message>
        <source>access denied (HTTP 403: %1)</source>
        <translation>访问被拒绝（HTTP 403：%1）</translation>
    </message>
    <message>
        <source>the server rejected the request (HTTP 400: %1)</source>
        <translation>服务器拒绝了请求（HTTP 400：%1）</translation>
    </message>
    <message>
        <source>not found (HTTP 404: %1); check the base URL and the model name</source>
        <translation>未找到（HTTP 404：%1）；请检查基础 URL 和模型名称</translation>
    </message>
    <message>
        <source>the server reported an error mid-stream: %1</source>
        <translation>服务器在流式传输中途报告错误：%1</translation>
    </message>
    <message>
        <source>malformed streamed reply: %1</source>
        <translation>流式回复格式错误：%1</translation>
    </message>
    <message>
        <source>the stream ended before the reply was complete</source>
        <translation>回复尚未完成，流就已结束</translation>
    </message>
    <message>
        <source>the stream broke off: %1</source>
        <translation>流中断：%1</translation>
    </message>
    <message>
        <source>malformed reply (not JSON): %1</source>
        <translation>回复格式错误（不是 JSON）：%1</translation>
    </message>
    <message>
        <source>the server reported an error: %1</source>
        <translation>服务器报告错误：%1</translation>
    </message>
    <message>
        <source>malformed reply: no message</source>
        <translation>回复格式错误：缺少 message</translation>
    </message>
    <message>
        <source>malformed reply: no choices</source>
        <translation>回复格式错误：缺少 choices</translation>
    </message>
    <message>
        <source>the content was filtered (finish_reason content_filter)</source>
        <translation>内容被过滤（finish_reason 为 content_filter）</translation>
    </message>
    <message>
        <source>the model refused: %1</source>
        <translation>模型拒绝了请求：%1</translation>
    </message>
    <message>
        <source>the model used up the token limit before writing a caption; raise the maximum number of tokens</source>
        <translation>模型在写出描述之前就用完了 token 上限；请提高最大 token 数</translation>
    </message>
    <message>
        <source>the model returned an empty caption</source>
        <translation>模型返回了空描述</translation>
    </message>
    <message>
        <source>the structured reply was cut off by the token limit</source>
        <translation>结构化回复因 token 上限被截断</translation>
    </message>
    <message>
        <source>the reply is not the requested JSON with one array per facet</source>
        <translation>回复不是所要求的 JSON（每个维度一个数组）</translation>
    </message>
</context>
<context>
    <name>facet::ChunkReader</name>
    <message>
        <source>cannot read the file at byte %1: %2</source>
        <translation>在第 %1 字节处无法读取文件：%2</translation>
    </message>
</context>
<context>
    <name>facet::Curation</name>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message numerus="yes">
        <source>%1 %n item(s)</source>
        <translation>
            <numerusform>%1 %n 个条目</numerusform>
        </translation>
    </message>
    <message>
        <source>Edit caption</source>
        <translation>编辑描述</translation>
    </message>
    <message>
        <source>No item with internal id %1</source>
        <translation>没有内部 ID 为 %1 的条目</translation>
    </message>
    <message>
        <source>Recaption with %1</source>
        <translation>用 %1 重新生成描述</translation>
    </message>
    <message>
        <source>Version %1 is not a caption version of this item</source>
        <translation>版本 %1 不是此条目的描述版本</translation>
    </message>
    <message>
        <source>Keep caption version %1</source>
        <translation>保留描述版本 %1</translation>
    </message>
</context>
<context>
    <name>facet::Database</name>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>Cannot open project %1: %2</source>
        <translation>无法打开项目 %1：%2</translation>
    </message>
    <message>
        <source>Project %1 is locked by another program (%2)</source>
        <translation>项目 %1 已被其他程序锁定（%2）</translation>
    </message>
    <message>
        <source>Project %1 is damaged: %2</source>
        <translation>项目 %1 已损坏：%2</translation>
    </message>
    <message>
        <source>Project %1 is read-only: %2</source>
        <translation>项目 %1 为只读：%2</translation>
    </message>
    <message>
        <source>%1: %2 (%3)</source>
        <translation>%1：%2（%3）</translation>
    </message>
</context>
<context>
    <name>facet::DetailPanel</name>
    <message>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>human edit</source>
        <translation>人工编辑</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Recaptioned</source>
        <translation>已重新生成</translation>
    </message>
    <message>
        <source>No caption</source>
        <translation>无描述</translation>
    </message>
    <message>
        <source>Facet colours: the caption&apos;s sentences are tinted by the facet they describe.</source>
        <translation>维度颜色：描述中的每个句子按其所描述的维度着色。</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>出处</translation>
    </message>
    <message>
        <source>Model / author</source>
        <translation>模型 / 作者</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>The image could not be decoded</source>
        <translation>无法解码该图像</translation>
    </message>
    <message numerus="yes">
        <source>%n character(s)</source>
        <translation>
            <numerusform>%n 个字符</numerusform>
        </translation>
    </message>
    <message>
        <source>Image missing: %1</source>
        <translation>图像缺失：%1</translation>
    </message>
    <message>
        <source>Broken image: %1</source>
        <translation>图像已损坏：%1</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <comment>Accepted by alice</comment>
        <translation>%2 %1</translation>
    </message>
    <message>
        <source>This record has no image</source>
        <translation>此记录没有图像</translation>
    </message>
    <message>
        <source>Image missing
%1</source>
        <translation>图像缺失
%1</translation>
    </message>
    <message>
        <source>%1 (run by %2)</source>
        <translation>%1（由 %2 运行）</translation>
    </message>
    <message>
        <source>v%1</source>
        <translation>v%1</translation>
    </message>
    <message>
        <source>v%1 (current)</source>
        <translation>v%1（当前）</translation>
    </message>
    <message>
        <source>%1 (undone)</source>
        <translation>%1（已撤销）</translation>
    </message>
    <message>
        <source>Showing version %1 (%2), not the current caption.</source>
        <translation>正在显示版本 %1（%2），不是当前描述。</translation>
    </message>
    <message>
        <source>Editing: Ctrl+Enter saves a new version, Esc cancels.</source>
        <translation>编辑中：Ctrl+Enter 保存为新版本，Esc 取消。</translation>
    </message>
    <message>
        <source>By facet</source>
        <translation>按维度</translation>
    </message>
    <message>
        <source>No review actions on this record yet</source>
        <translation>此记录尚无审核操作</translation>
    </message>
    <message>
        <source>v%1 (undone)</source>
        <translation>v%1（已撤销）</translation>
    </message>
</context>
<context>
    <name>facet::ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>&amp;Output file:</source>
        <translation>输出文件(&amp;O)：</translation>
    </message>
    <message>
        <source>ShareGPT4V / LLaVA conversations (lossless)</source>
        <translation>ShareGPT4V / LLaVA 对话（无损）</translation>
    </message>
    <message>
        <source>Flat records with facets and provenance</source>
        <translation>扁平记录，含维度和来源信息</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>One JSON array instead of JSON Lines</source>
        <translation>输出为单个 JSON 数组，而不是 JSON Lines</translation>
    </message>
    <message>
        <source>Accepted items</source>
        <translation>已接受的条目</translation>
    </message>
    <message>
        <source>All items (no filter is set)</source>
        <translation>全部条目（未设置筛选）</translation>
    </message>
    <message>
        <source>Items matching the filter: %1</source>
        <translation>符合筛选条件的条目：%1</translation>
    </message>
    <message>
        <source>Selected items (%1)</source>
        <translation>选中的条目（%1）</translation>
    </message>
    <message>
        <source>Export:</source>
        <translation>导出：</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl);;JSON (*.json);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;JSON (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the file to write.</source>
        <translation>请选择要写入的文件。</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消；未写入任何文件。</translation>
    </message>
    <message>
        <source>Replace File</source>
        <translation>替换文件</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it with this export?</source>
        <translation>%1 已存在。要用本次导出替换它吗？</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
</context>
<context>
    <name>facet::Exporter</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Record %1: its stored JSON has no conversation turn %2 to put the caption in</source>
        <translation>记录 %1：其保存的 JSON 中没有可放入描述的第 %2 轮对话</translation>
    </message>
    <message>
        <source>No output file given</source>
        <translation>未指定输出文件</translation>
    </message>
    <message>
        <source>Refusing to export onto the project file %1</source>
        <translation>拒绝导出到项目文件 %1 上</translation>
    </message>
    <message>
        <source>Cannot write %1: it is a folder</source>
        <translation>无法写入 %1：这是一个文件夹</translation>
    </message>
    <message>
        <source>Exporting to %1</source>
        <translation>正在导出到 %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n record(s) to %1</source>
        <translation>
            <numerusform>已将 %n 条记录导出到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::FacetClassifier</name>
    <message>
        <source>A facet model may have at most %1 facets</source>
        <translation>维度模型最多只能有 %1 个维度</translation>
    </message>
    <message>
        <source>%1 (subject or place phrase)</source>
        <translation>%1（主语或地点短语）</translation>
    </message>
</context>
<context>
    <name>facet::FacetColors</name>
    <message>
        <source>World knowledge</source>
        <translation>世界知识</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Spatial</source>
        <translation>空间关系</translation>
    </message>
    <message>
        <source>Art</source>
        <translation>艺术</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>facet::FacetIndexer</name>
    <message>
        <source>Computing facets</source>
        <translation>正在计算维度</translation>
    </message>
    <message>
        <source>A segment needs at least one facet</source>
        <translation>每个片段至少需要一个维度</translation>
    </message>
    <message>
        <source>A segment must satisfy 0 &lt;= start &lt;= end</source>
        <translation>片段必须满足 0 &lt;= start &lt;= end</translation>
    </message>
    <message>
        <source>&apos;%1&apos; cannot be stored as a facet key</source>
        <translation>“%1”不能作为维度键存储</translation>
    </message>
    <message>
        <source>The stored facet segments are damaged</source>
        <translation>已存储的维度片段已损坏</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a facet key</source>
        <translation>“%1”不是维度键</translation>
    </message>
    <message>
        <source>Caption version %1 has no segment %2</source>
        <translation>描述版本 %1 没有片段 %2</translation>
    </message>
    <message>
        <source>Facets of a batch of captions are still pending for another project</source>
        <translation>另一个项目中仍有一批描述的维度尚待计算</translation>
    </message>
</context>
<context>
    <name>facet::FacetModel</name>
    <message>
        <source>facet model</source>
        <translation>维度模型</translation>
    </message>
    <message>
        <source>%1: not a JSON object</source>
        <translation>%1：不是 JSON 对象</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 must be a number</source>
        <translation>%1 必须是数字</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid facet key (use lower-case letters, digits and _)</source>
        <translation>“%1”不是有效的维度键（请使用小写字母、数字和 _）</translation>
    </message>
    <message>
        <source>&quot;facets&quot; must be an array</source>
        <translation>&quot;facets&quot; 必须是数组</translation>
    </message>
    <message>
        <source>every facet needs a &quot;key&quot;</source>
        <translation>每个维度都需要 &quot;key&quot;</translation>
    </message>
    <message>
        <source>&quot;bias&quot; must be an object</source>
        <translation>&quot;bias&quot; 必须是对象</translation>
    </message>
    <message>
        <source>bias of %1</source>
        <translation>%1 的 bias</translation>
    </message>
    <message>
        <source>&quot;thresholds&quot; must be an object</source>
        <translation>&quot;thresholds&quot; 必须是对象</translation>
    </message>
    <message>
        <source>thresholds.secondary</source>
        <translation>thresholds.secondary</translation>
    </message>
    <message>
        <source>thresholds.other</source>
        <translation>thresholds.other</translation>
    </message>
    <message>
        <source>&quot;patterns&quot; must be an object</source>
        <translation>&quot;patterns&quot; 必须是对象</translation>
    </message>
    <message>
        <source>pattern &apos;%1&apos; needs an object of facet weights</source>
        <translation>模式“%1”需要一个由维度权重组成的对象</translation>
    </message>
    <message>
        <source>weight of pattern %1</source>
        <translation>模式 %1 的权重</translation>
    </message>
    <message>
        <source>&quot;cues&quot; must be an object of facet -&gt; weight -&gt; cue list</source>
        <translation>&quot;cues&quot; 必须是“维度 -&gt; 权重 -&gt; 线索列表”形式的对象</translation>
    </message>
    <message>
        <source>cues of %1 must be an object of weight -&gt; cue list</source>
        <translation>%1 的线索必须是“权重 -&gt; 线索列表”形式的对象</translation>
    </message>
    <message>
        <source>cue weight &apos;%1&apos; of %2 is not a number</source>
        <translation>%2 的线索权重“%1”不是数字</translation>
    </message>
    <message>
        <source>cues of %1 with weight %2 must be a list</source>
        <translation>%1 中权重为 %2 的线索必须是列表</translation>
    </message>
    <message>
        <source>cues of %1 must be strings</source>
        <translation>%1 的线索必须是字符串</translation>
    </message>
    <message>
        <source>cue &apos;%1&apos; of %2 has no words</source>
        <translation>%2 的线索“%1”不含任何词</translation>
    </message>
    <message>
        <source>&quot;learned&quot; needs a &quot;facets&quot; array</source>
        <translation>&quot;learned&quot; 需要一个 &quot;facets&quot; 数组</translation>
    </message>
    <message>
        <source>learned.facets must be strings</source>
        <translation>learned.facets 必须是字符串</translation>
    </message>
    <message>
        <source>%1 must have one number per learned facet</source>
        <translation>%1 必须为每个学习到的维度提供一个数字</translation>
    </message>
    <message>
        <source>learned.bias</source>
        <translation>learned.bias</translation>
    </message>
    <message>
        <source>learned.features must be an object</source>
        <translation>learned.features 必须是对象</translation>
    </message>
    <message>
        <source>learned feature &apos;%1&apos; has no kind prefix</source>
        <translation>学习特征“%1”缺少类型前缀</translation>
    </message>
    <message>
        <source>learned feature %1</source>
        <translation>学习特征 %1</translation>
    </message>
    <message>
        <source>Cannot read facet model %1: %2</source>
        <translation>无法读取维度模型 %1：%2</translation>
    </message>
    <message>
        <source>the project&apos;s facet cues</source>
        <translation>项目的维度线索</translation>
    </message>
    <message>
        <source>capitalised name</source>
        <translation>首字母大写的名称</translation>
    </message>
    <message>
        <source>multi-word name</source>
        <translation>多词名称</translation>
    </message>
    <message>
        <source>quoted text</source>
        <translation>引号内的文字</translation>
    </message>
    <message>
        <source>all-capitals word</source>
        <translation>全大写单词</translation>
    </message>
    <message>
        <source>heading</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Chinese/Japanese text</source>
        <translation>中文/日文文本</translation>
    </message>
    <message>
        <source>no final punctuation</source>
        <translation>句末无标点</translation>
    </message>
    <message>
        <source>pattern: %1</source>
        <translation>模式：%1</translation>
    </message>
    <message>
        <source>sentence opening &quot;%1&quot;</source>
        <translation>句首“%1”</translation>
    </message>
    <message>
        <source>phrase &quot;%1&quot;</source>
        <translation>短语“%1”</translation>
    </message>
    <message>
        <source>word pair &quot;%1&quot;</source>
        <translation>词对“%1”</translation>
    </message>
    <message>
        <source>word &quot;%1&quot;</source>
        <translation>词“%1”</translation>
    </message>
    <message>
        <source>learned word &quot;%1&quot;</source>
        <translation>学习到的词“%1”</translation>
    </message>
    <message>
        <source>subject_weight</source>
        <translation>subject_weight</translation>
    </message>
    <message>
        <source>learned.subject_weight</source>
        <translation>learned.subject_weight</translation>
    </message>
    <message>
        <source>place verb with preposition</source>
        <translation>表示位置的动词加介词</translation>
    </message>
    <message>
        <source>learned.hand_scale</source>
        <translation>learned.hand_scale</translation>
    </message>
    <message>
        <source>pattern: predicate starts with a %1 cue</source>
        <translation>模式：谓语以 %1 线索开头</translation>
    </message>
    <message>
        <source>unknown pattern &apos;%1&apos; (known: %2, predicate_&lt;facet&gt;, subject_&lt;facet&gt;)</source>
        <translation>未知模式“%1”（可用：%2、predicate_&lt;维度&gt;、subject_&lt;维度&gt;）</translation>
    </message>
    <message>
        <source>name in the subject</source>
        <translation>主语中的名称</translation>
    </message>
    <message>
        <source>main verb places something</source>
        <translation>主要动词表示位置</translation>
    </message>
    <message>
        <source>place phrase about a body part</source>
        <translation>关于身体部位的地点短语</translation>
    </message>
    <message>
        <source>pose: the verb acts with someone&apos;s body</source>
        <translation>姿态：动词作用于人或动物的身体部位</translation>
    </message>
    <message>
        <source>general statement (can, usually, because)</source>
        <translation>一般性陈述（can、usually、because）</translation>
    </message>
    <message>
        <source>pattern: subject is a %1 cue</source>
        <translation>模式：主语是 %1 线索</translation>
    </message>
    <message>
        <source>main verb &quot;%1&quot;</source>
        <translation>主要动词“%1”</translation>
    </message>
    <message>
        <source>subject &quot;%1&quot;</source>
        <translation>主语“%1”</translation>
    </message>
    <message>
        <source>complement opens with &quot;%1&quot;</source>
        <translation>补语以“%1”开头</translation>
    </message>
    <message>
        <source>learned.carries needs &quot;bias&quot; and &quot;thresholds&quot;</source>
        <translation>learned.carries 需要 &quot;bias&quot; 和 &quot;thresholds&quot;</translation>
    </message>
    <message>
        <source>learned.carries.bias</source>
        <translation>learned.carries.bias</translation>
    </message>
    <message>
        <source>learned.carries.thresholds</source>
        <translation>learned.carries.thresholds</translation>
    </message>
    <message>
        <source>learned.carries.thresholds must lie between 0 and 1</source>
        <translation>learned.carries.thresholds 必须介于 0 和 1 之间</translation>
    </message>
    <message>
        <source>learned feature %1 must have two numbers per learned facet</source>
        <translation>学习到的特征 %1 必须为每个学习到的维度提供两个数字</translation>
    </message>
    <message>
        <source>learned feature %1 must have one number per learned facet</source>
        <translation>学习到的特征 %1 必须为每个学习到的维度提供一个数字</translation>
    </message>
</context>
<context>
    <name>facet::FacetSections</name>
    <message>
        <source>Caption by facet</source>
        <translation>按维度查看描述</translation>
    </message>
    <message>
        <source>Edit sentence</source>
        <translation>编辑句子</translation>
    </message>
    <message>
        <source>%1 (also %2)</source>
        <comment>sentence text, then its primary facet</comment>
        <translation>%1（另属 %2）</translation>
    </message>
    <message>
        <source>Sentence %1 · facets: %2</source>
        <translation>第 %1 句 · 维度：%2</translation>
    </message>
    <message>
        <source>Labelled by a reviewer</source>
        <translation>由审核人标注</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>facet name, sentence count</comment>
        <translation>%1（%2）</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n sentence(s)</source>
        <translation>
            <numerusform>%1：%n 个句子</numerusform>
        </translation>
    </message>
    <message>
        <source>No %1 sentences</source>
        <translation>没有%1句子</translation>
    </message>
    <message>
        <source>Sentence %1 — Ctrl+Enter saves, Esc cancels</source>
        <translation>第 %1 句 — Ctrl+Enter 保存，Esc 取消</translation>
    </message>
    <message>
        <source>Move to facet</source>
        <translation>移到维度</translation>
    </message>
    <message>
        <source>Delete sentence</source>
        <translation>删除句子</translation>
    </message>
    <message>
        <source>F2 edit the sentence, M move it to another facet, Del delete it, W show why it has its facet</source>
        <translation>F2 编辑句子，M 移到其他维度，Del 删除句子，W 查看它为何属于该维度</translation>
    </message>
    <message>
        <source>Why this facet</source>
        <translation>为何属于该维度</translation>
    </message>
    <message>
        <source>Why this facet?</source>
        <translation>为何属于该维度？</translation>
    </message>
    <message>
        <source>Why this facet? Sentence %1 — W or Esc hides</source>
        <translation>为何属于该维度？第 %1 句 — W 或 Esc 隐藏</translation>
    </message>
    <message>
        <source>Explanation of sentence %1</source>
        <translation>第 %1 句的解释</translation>
    </message>
    <message>
        <source>Loading the project&apos;s facet model…</source>
        <translation>正在加载项目的维度模型…</translation>
    </message>
    <message>
        <source>The project&apos;s facet model could not be loaded: %1</source>
        <translation>无法加载项目的维度模型：%1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>facet name, its probability</comment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Labelled by a reviewer as %1; the classifier says: %2</source>
        <translation>由审核人标注为 %1；分类器的结果：%2</translation>
    </message>
    <message>
        <source>Stored as %1 when the caption was indexed; the classifier now says: %2</source>
        <translation>建立索引时存为 %1；分类器现在的结果：%2</translation>
    </message>
    <message>
        <source>The classifier says: %1 (primary first)</source>
        <translation>分类器的结果：%1（主维度在前）</translation>
    </message>
    <message>
        <source>The sentence matched no cue, hence %1.</source>
        <translation>该句子未匹配任何线索，因此归为%1。</translation>
    </message>
    <message>
        <source>No facet was likely enough (the most likely, %1, has %2), hence %3.</source>
        <translation>没有足够可能的维度（最可能的 %1 为 %2），因此归为%3。</translation>
    </message>
    <message>
        <source>%1 — %2 (score %3, bias %4)</source>
        <comment>facet name, probability, score, bias</comment>
        <translation>%1 — %2（得分 %3，偏置 %4）</translation>
    </message>
    <message>
        <source>%1: “%2”</source>
        <comment>cue, the text of the sentence it matched</comment>
        <translation>%1：“%2”</translation>
    </message>
    <message numerus="yes">
        <source>… %n more cue(s) for it</source>
        <translation>
            <numerusform>… 另有 %n 条支持它的线索</numerusform>
        </translation>
    </message>
    <message>
        <source>No cue for this facet</source>
        <translation>没有支持该维度的线索</translation>
    </message>
    <message>
        <source>Strongest cue against:</source>
        <translation>最强的反向线索：</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>cue, the quoted text of the sentence it matched</comment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 — carried with %2, needs %3 (score %4, bias %5)</source>
        <comment>facet name, probability, threshold, score, bias</comment>
        <translation>%1 — 含有该维度的概率 %2，需达到 %3（得分 %4，偏置 %5）</translation>
    </message>
</context>
<context>
    <name>facet::GridDelegate</name>
    <message>
        <source>Image missing</source>
        <translation>图像缺失</translation>
    </message>
    <message>
        <source>Broken image</source>
        <translation>图像已损坏</translation>
    </message>
    <message>
        <source>No image</source>
        <translation>无图像</translation>
    </message>
</context>
<context>
    <name>facet::GridModel</name>
    <message>
        <source>%1 · %2 · %3
%4</source>
        <comment>id · source · status, then the caption&apos;s start</comment>
        <translation>%1 · %2 · %3
%4</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>（已移除）</translation>
    </message>
</context>
<context>
    <name>facet::HttpClient</name>
    <message>
        <source>The HTTP library (libcurl) could not be initialised</source>
        <translation>无法初始化 HTTP 库（libcurl）</translation>
    </message>
    <message>
        <source>Cannot start an HTTP transfer</source>
        <translation>无法开始 HTTP 传输</translation>
    </message>
    <message>
        <source>the reply is larger than %1 MB</source>
        <translation>回复大于 %1 MB</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
</context>
<context>
    <name>facet::ImageDecoder</name>
    <message>
        <source>empty file</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>truncated or corrupt %1 data</source>
        <translation>%1 数据被截断或已损坏</translation>
    </message>
    <message>
        <source>image is %1×%2 pixels, over the %3 MP limit</source>
        <translation>图像为 %1×%2 像素，超过了 %3 百万像素的上限</translation>
    </message>
    <message>
        <source>not enough memory to decode a %1×%2 image</source>
        <translation>内存不足，无法解码 %1×%2 的图像</translation>
    </message>
    <message>
        <source>no image path</source>
        <translation>没有图像路径</translation>
    </message>
    <message>
        <source>file not found</source>
        <translation>找不到文件</translation>
    </message>
    <message>
        <source>not a file</source>
        <translation>不是文件</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>无法读取文件：%1</translation>
    </message>
    <message>
        <source>tar member without a size</source>
        <translation>tar 成员缺少大小</translation>
    </message>
    <message>
        <source>tar member at byte %1 lies beyond the end of the shard (%2 bytes); the shard is truncated</source>
        <translation>位于第 %1 字节的 tar 成员超出了分片末尾（%2 字节）；分片已被截断</translation>
    </message>
    <message>
        <source>file is %1 MB, over the %2 MB limit</source>
        <translation>文件大小为 %1 MB，超过了 %2 MB 的上限</translation>
    </message>
    <message>
        <source>cannot read the file: it ended after %1 of %2 bytes</source>
        <translation>无法读取文件：读到 %2 字节中的第 %1 字节时文件已结束</translation>
    </message>
    <message>
        <source>unsupported pixel layout (%1 channels)</source>
        <translation>不支持的像素格式（%1 个通道）</translation>
    </message>
    <message>
        <source>not enough memory to convert the image</source>
        <translation>内存不足，无法转换图像</translation>
    </message>
    <message>
        <source>cannot convert the image: %1</source>
        <translation>无法转换图像：%1</translation>
    </message>
    <message>
        <source>the GIF has no image</source>
        <translation>该 GIF 中没有图像</translation>
    </message>
    <message>
        <source>the GIF has no colour table</source>
        <translation>该 GIF 没有颜色表</translation>
    </message>
    <message>
        <source>not an image in a supported format (JPEG, PNG, WebP, GIF, BMP, TIFF)</source>
        <translation>不是受支持格式（JPEG、PNG、WebP、GIF、BMP、TIFF）的图像</translation>
    </message>
</context>
<context>
    <name>facet::ImageRoot</name>
    <message>
        <source>the image path is empty</source>
        <translation>图像路径为空</translation>
    </message>
    <message>
        <source>the image path contains a NUL character</source>
        <translation>图像路径包含 NUL 字符</translation>
    </message>
    <message>
        <source>the image path %1 is absolute and outside the image folder %2</source>
        <translation>图像路径 %1 是绝对路径，且位于图像文件夹 %2 之外</translation>
    </message>
    <message>
        <source>the image path names the image folder itself</source>
        <translation>图像路径指向图像文件夹本身</translation>
    </message>
    <message>
        <source>the image path %1 leaves the image folder %2</source>
        <translation>图像路径 %1 超出了图像文件夹 %2</translation>
    </message>
    <message>
        <source>the image path %1 names the image folder itself</source>
        <translation>图像路径 %1 指向图像文件夹本身</translation>
    </message>
</context>
<context>
    <name>facet::ImportDialog</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import records from ShareGPT4V/LLaVA JSON or JSONL, Share-Captioner output, WebDataset .tar shards, or a folder of images with .txt captions. Images stay where they are; re-importing the same file changes nothing.</source>
        <translation>从 ShareGPT4V/LLaVA 的 JSON 或 JSONL、Share-Captioner 输出、WebDataset .tar 分片，或带 .txt 描述的图像文件夹导入记录。图像保留在原处；重复导入同一文件不会产生任何变化。</translation>
    </message>
    <message>
        <source>One or more files, separated by &apos;;&apos;</source>
        <translation>一个或多个文件，用“;”分隔</translation>
    </message>
    <message>
        <source>Files…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>数据源(&amp;S)：</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>ShareGPT4V / LLaVA JSON array</source>
        <translation>ShareGPT4V / LLaVA JSON 数组</translation>
    </message>
    <message>
        <source>JSONL (one record per line)</source>
        <translation>JSONL（每行一条记录）</translation>
    </message>
    <message>
        <source>Share-Captioner output</source>
        <translation>Share-Captioner 输出</translation>
    </message>
    <message>
        <source>WebDataset .tar shards</source>
        <translation>WebDataset .tar 分片</translation>
    </message>
    <message>
        <source>Folder of images with .txt captions</source>
        <translation>带 .txt 描述的图像文件夹</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Default: the folder of the source file</source>
        <translation>默认：数据源文件所在的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>&amp;Images folder:</source>
        <translation>图像文件夹(&amp;I)：</translation>
    </message>
    <message>
        <source>Default: the file name</source>
        <translation>默认：文件名</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Strict: import nothing if any record is bad</source>
        <translation>严格模式：只要有一条记录有误就不导入任何内容</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>导入(&amp;I)</translation>
    </message>
    <message>
        <source>Choose files to import</source>
        <translation>选择要导入的文件</translation>
    </message>
    <message>
        <source>Datasets (*.json *.jsonl *.tar);;All files (*)</source>
        <translation>数据集 (*.json *.jsonl *.tar);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a folder to import</source>
        <translation>选择要导入的文件夹</translation>
    </message>
    <message>
        <source>Folder the image paths are relative to</source>
        <translation>图像路径所相对的文件夹</translation>
    </message>
    <message>
        <source>Choose a file or folder to import.</source>
        <translation>请选择要导入的文件或文件夹。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 不存在。</translation>
    </message>
    <message>
        <source>The images folder %1 does not exist.</source>
        <translation>图像文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <source>Import cancelled. Files that were completely imported stay; the interrupted one left nothing behind.</source>
        <translation>导入已取消。已完整导入的文件会保留；被中断的文件没有留下任何内容。</translation>
    </message>
    <message>
        <source>A .json, .jsonl or .tar file, or a folder</source>
        <translation>.json、.jsonl 或 .tar 文件，或一个文件夹</translation>
    </message>
</context>
<context>
    <name>facet::Importer</name>
    <message>
        <source>Cannot read %1: no such file or folder</source>
        <translation>无法读取 %1：没有该文件或文件夹</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is compressed; decompress it first (tar shards must be plain .tar so that images can be read from them by offset)</source>
        <translation>%1 是压缩文件；请先解压（tar 分片必须是未压缩的 .tar，才能按偏移量从中读取图像）</translation>
    </message>
    <message>
        <source>%1 starts with &apos;{&apos; but its lines are not JSON records: it is neither JSONL nor a JSON array</source>
        <translation>%1 以“{”开头，但其各行不是 JSON 记录：它既不是 JSONL 也不是 JSON 数组</translation>
    </message>
    <message>
        <source>%1 is not a format Facet Studio can import: expected a JSON array, JSONL, a .tar shard or a folder of images</source>
        <translation>%1 不是 Facet Studio 能导入的格式：应为 JSON 数组、JSONL、.tar 分片或图像文件夹</translation>
    </message>
    <message>
        <source>%1 is a folder, not a %2 file</source>
        <translation>%1 是文件夹，不是 %2 文件</translation>
    </message>
    <message>
        <source>%1 is not a folder</source>
        <translation>%1 不是文件夹</translation>
    </message>
    <message>
        <source>Cannot read %1: permission denied</source>
        <translation>无法读取 %1：权限不足</translation>
    </message>
    <message>
        <source>the record is %1 bytes long, more than the limit of %2 bytes (it starts at byte %3)</source>
        <translation>该记录长 %1 字节，超过了 %2 字节的上限（起始于第 %3 字节）</translation>
    </message>
    <message>
        <source>%1 (the record starts at byte %2)</source>
        <translation>%1（该记录起始于第 %2 字节）</translation>
    </message>
    <message>
        <source>line %1: the record is %2 bytes long, more than the limit of %3 bytes</source>
        <translation>第 %1 行：该记录长 %2 字节，超过了 %3 字节的上限</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <source>%1.txt is not valid UTF-8 text</source>
        <translation>%1.txt 不是有效的 UTF-8 文本</translation>
    </message>
    <message>
        <source>the caption in %1.txt is %2 bytes long, more than the limit of %3 bytes</source>
        <translation>%1.txt 中的描述长 %2 字节，超过了 %3 字节的上限</translation>
    </message>
    <message>
        <source>%1.json is not a JSON object</source>
        <translation>%1.json 不是 JSON 对象</translation>
    </message>
    <message>
        <source>the caption in %1.json is %2 bytes long, more than the limit of %3 bytes</source>
        <translation>%1.json 中的描述长 %2 字节，超过了 %3 字节的上限</translation>
    </message>
    <message>
        <source>sample %1 has neither an image nor a caption</source>
        <translation>样本 %1 既没有图像也没有描述</translation>
    </message>
    <message>
        <source>the shard holds %1 twice in a row</source>
        <translation>分片中连续出现了两次 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is %2 bytes long, more than the limit of %3 bytes</source>
        <translation>%1 长 %2 字节，超过了 %3 字节的上限</translation>
    </message>
</context>
<context>
    <name>facet::IssuesPanel</name>
    <message>
        <source>Issues</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>No issues. Skipped records and broken images will be listed here.</source>
        <translation>没有问题。被跳过的记录和损坏的图像会列在这里。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the selected issues (or all of them) as tab-separated text</source>
        <translation>将选中的问题（或全部问题）复制为以制表符分隔的文本</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>#%1 (%2)</source>
        <translation>#%1（%2）</translation>
    </message>
    <message>
        <source>#%1</source>
        <translation>#%1</translation>
    </message>
    <message>
        <source>Issues (%1)</source>
        <translation>问题（%1）</translation>
    </message>
</context>
<context>
    <name>facet::JobProgressWidget</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source> · %1/s · about %2 left</source>
        <translation> · %1/秒 · 约剩 %2</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n 秒</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>facet::JobRunner</name>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>意外错误：%1</translation>
    </message>
</context>
<context>
    <name>facet::JobStore</name>
    <message>
        <source>Nothing selected to recaption</source>
        <translation>没有选择要重新生成描述的内容</translation>
    </message>
    <message>
        <source>None of the selected items has an image to recaption</source>
        <translation>选中的条目都没有可用于重新生成描述的图像</translation>
    </message>
    <message>
        <source>No job %1</source>
        <translation>没有任务 %1</translation>
    </message>
    <message>
        <source>Job %1 is running in process %2; stop it there</source>
        <translation>任务 %1 正在进程 %2 中运行；请在那里停止它</translation>
    </message>
    <message>
        <source>Job %1 is already done</source>
        <translation>任务 %1 已经完成</translation>
    </message>
    <message>
        <source>A prompt needs a name</source>
        <translation>提示词需要一个名称</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a built-in prompt; save yours under another name</source>
        <translation>“%1”是内置提示词；请用其他名称保存你的提示词</translation>
    </message>
    <message>
        <source>The prompt text is empty</source>
        <translation>提示词文本为空</translation>
    </message>
    <message>
        <source>A price needs a model name</source>
        <translation>价格需要对应一个模型名称</translation>
    </message>
    <message>
        <source>Prices cannot be negative</source>
        <translation>价格不能为负数</translation>
    </message>
    <message>
        <source>Reading image sizes</source>
        <translation>正在读取图像尺寸</translation>
    </message>
</context>
<context>
    <name>facet::JobsPanel</name>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>已失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>Recaption Jobs</source>
        <translation>重新生成描述任务</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Done / failed / total</source>
        <translation>完成 / 失败 / 总数</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>预计剩余</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最后一个错误</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <source>Cancel &amp;Job</source>
        <translation>取消任务(&amp;J)</translation>
    </message>
    <message>
        <source>Could not read the jobs: %1</source>
        <translation>无法读取任务：%1</translation>
    </message>
    <message>
        <source>job %1 (%2 of %3 left)</source>
        <translation>任务 %1（%3 个中还剩 %2 个）</translation>
    </message>
    <message>
        <source>Not finished: %1. Select one and press Resume to continue where it stopped.</source>
        <translation>未完成：%1。选择一个任务并点击“继续”，即可从中断处接着运行。</translation>
    </message>
    <message>
        <source>%1 / %2 / %3</source>
        <translation>%1 / %2 / %3</translation>
    </message>
    <message>
        <source>%1 items/min</source>
        <translation>%1 个条目/分钟</translation>
    </message>
    <message>
        <source>There is no job %1.</source>
        <translation>没有任务 %1。</translation>
    </message>
    <message>
        <source>Job %1 needs an OpenAI API key: set OPENAI_API_KEY (or store one in the system keychain) and press Resume.</source>
        <translation>任务 %1 需要 OpenAI API 密钥：请设置 OPENAI_API_KEY（或将密钥保存在系统钥匙串中），然后点击“继续”。</translation>
    </message>
    <message>
        <source>Job %1 finished: %2 captions, %3 failed.</source>
        <translation>任务 %1 已完成：%2 条描述，%3 个失败。</translation>
    </message>
    <message>
        <source>Job %1 %2. %3</source>
        <translation>任务 %1 %2。%3</translation>
    </message>
    <message>
        <source>Job %1 could not run: %2</source>
        <translation>任务 %1 无法运行：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: refused</source>
        <translation>%1：被拒绝</translation>
    </message>
</context>
<context>
    <name>facet::JsonArraySplitter</name>
    <message>
        <source>the file is empty; expected a JSON array</source>
        <translation>文件为空；应为 JSON 数组</translation>
    </message>
    <message>
        <source>the file ends at byte %1 inside record %2, which starts at byte %3 (truncated file?)</source>
        <translation>文件在第 %1 字节处结束，此时仍在从第 %3 字节开始的记录 %2 之中（文件被截断？）</translation>
    </message>
    <message>
        <source>the file ends at byte %1 before the array is closed (truncated file?)</source>
        <translation>文件在第 %1 字节处结束，数组尚未闭合（文件被截断？）</translation>
    </message>
    <message>
        <source>the file does not start with &apos;[&apos; (byte %1): it is not a JSON array</source>
        <translation>文件不是以“[”开头（第 %1 字节）：它不是 JSON 数组</translation>
    </message>
    <message>
        <source>a comma is followed by &apos;]&apos; at byte %1 (trailing comma)</source>
        <translation>第 %1 字节处逗号后紧跟“]”（多余的结尾逗号）</translation>
    </message>
    <message>
        <source>unexpected &apos;,&apos; at byte %1 where a record should start</source>
        <translation>第 %1 字节处应为记录开头，却出现了意外的“,”</translation>
    </message>
    <message>
        <source>mismatched &apos;%1&apos; at byte %2 in record %3, which starts at byte %4</source>
        <translation>从第 %4 字节开始的记录 %3 中，第 %2 字节处的“%1”不匹配</translation>
    </message>
    <message>
        <source>expected &apos;,&apos; or &apos;]&apos; after record %1 at byte %2</source>
        <translation>记录 %1 之后的第 %2 字节处应为“,”或“]”</translation>
    </message>
    <message>
        <source>unexpected data after the end of the array at byte %1</source>
        <translation>数组结束后第 %1 字节处有多余数据</translation>
    </message>
</context>
<context>
    <name>facet::MainWindow</name>
    <message>
        <source>&amp;New Project…</source>
        <translation>新建项目(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open Project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Close Project</source>
        <translation>关闭项目(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>导入(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Verify Images</source>
        <translation>校验图像(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit Caption</source>
        <translation>编辑描述(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation>筛选(&amp;F)…</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation>接受(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Reject…</source>
        <translation>拒绝(&amp;R)…</translation>
    </message>
    <message>
        <source>Back to &amp;Pending</source>
        <translation>恢复为待审核(&amp;P)</translation>
    </message>
    <message>
        <source>Accept All Matching the Filter…</source>
        <translation>接受所有符合筛选条件的条目…</translation>
    </message>
    <message>
        <source>Reject All Matching the Filter…</source>
        <translation>拒绝所有符合筛选条件的条目…</translation>
    </message>
    <message>
        <source>Reset All Matching the Filter to Pending…</source>
        <translation>将所有符合筛选条件的条目重置为待审核…</translation>
    </message>
    <message>
        <source>&amp;Next Item</source>
        <translation>下一个条目(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Item</source>
        <translation>上一个条目(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Larger Thumbnails</source>
        <translation>放大缩略图(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Smaller Thumbnails</source>
        <translation>缩小缩略图(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Facet Studio</source>
        <translation>关于 Facet Studio(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Review</source>
        <translation>审核(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>%1 items in the project</source>
        <translation>项目中有 %1 个条目</translation>
    </message>
    <message>
        <source>This project is read-only (%1). You can browse, filter and export, but not review or edit.</source>
        <translation>此项目为只读（%1）。你可以浏览、筛选和导出，但不能审核或编辑。</translation>
    </message>
    <message>
        <source>no write permission</source>
        <translation>没有写入权限</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>This item is no longer in the project.</source>
        <translation>该条目已不在项目中。</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销“%1”(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做“%1”(&amp;R)</translation>
    </message>
    <message>
        <source>Select an image to see its caption.</source>
        <translation>选择一张图像以查看其描述。</translation>
    </message>
    <message>
        <source>The caption is still loading</source>
        <translation>描述仍在加载</translation>
    </message>
    <message>
        <source>Wait for “%1” to finish</source>
        <translation>请等待“%1”完成</translation>
    </message>
    <message>
        <source>in the project</source>
        <translation>项目中</translation>
    </message>
    <message>
        <source>matching “%1”</source>
        <translation>符合“%1”</translation>
    </message>
    <message>
        <source>No items %1 would change</source>
        <translation>没有需要更改的条目（%1）</translation>
    </message>
    <message>
        <source>Accept %1 items %2?</source>
        <translation>接受%2的 %1 个条目？</translation>
    </message>
    <message>
        <source>Accept %1</source>
        <translation>接受 %1 个</translation>
    </message>
    <message>
        <source>Reject %1 items %2?</source>
        <translation>拒绝%2的 %1 个条目？</translation>
    </message>
    <message>
        <source>Reject %1</source>
        <translation>拒绝 %1 个</translation>
    </message>
    <message>
        <source>Reset %1 items %2 to pending?</source>
        <translation>将%2的 %1 个条目重置为待审核？</translation>
    </message>
    <message>
        <source>Reset %1</source>
        <translation>重置 %1 个</translation>
    </message>
    <message>
        <source>Review All Matching</source>
        <translation>批量审核</translation>
    </message>
    <message>
        <source>Items already in that state are not counted and not changed. This is one step in the history: Undo (Ctrl+Z) reverts all of it.</source>
        <translation>已处于该状态的条目不计入，也不会被更改。这在历史中算作一步：撤销（Ctrl+Z）会将其全部还原。</translation>
    </message>
    <message>
        <source>Accepting items</source>
        <translation>正在接受条目</translation>
    </message>
    <message>
        <source>Rejecting items</source>
        <translation>正在拒绝条目</translation>
    </message>
    <message>
        <source>Resetting items to pending</source>
        <translation>正在将条目重置为待审核</translation>
    </message>
    <message numerus="yes">
        <source>Changed %n item(s)</source>
        <translation>
            <numerusform>已更改 %n 个条目</numerusform>
        </translation>
    </message>
    <message>
        <source>Verifying images</source>
        <translation>正在校验图像</translation>
    </message>
    <message>
        <source>%1 more broken images are not listed; filter with image:broken to see them all</source>
        <translation>另有 %1 张损坏的图像未列出；用 image:broken 筛选可查看全部</translation>
    </message>
    <message>
        <source>Checked %1 images: %2 ok, %3 missing, %4 broken.</source>
        <translation>已检查 %1 张图像：正常 %2，缺失 %3，损坏 %4。</translation>
    </message>
    <message>
        <source>New Project</source>
        <translation>新建项目</translation>
    </message>
    <message>
        <source>Facet Studio projects (*.facet)</source>
        <translation>Facet Studio 项目 (*.facet)</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>Facet Studio projects (*.facet);;All files (*)</source>
        <translation>Facet Studio 项目 (*.facet);;所有文件 (*)</translation>
    </message>
    <message>
        <source>, %1 already present</source>
        <translation>，%1 条已存在</translation>
    </message>
    <message>
        <source>, %1 skipped (see Issues)</source>
        <translation>，%1 条被跳过（见“问题”）</translation>
    </message>
    <message>
        <source>, %1 with missing images</source>
        <translation>，%1 条缺失图像</translation>
    </message>
    <message>
        <source>Exported %1 records to %2</source>
        <translation>已将 %1 条记录导出到 %2</translation>
    </message>
    <message>
        <source>About Facet Studio</source>
        <translation>关于 Facet Studio</translation>
    </message>
    <message>
        <source>Facet Studio %1

Curate ShareGPT4V-style image–caption datasets: review, edit, recaption and export.</source>
        <translation>Facet Studio %1

整理 ShareGPT4V 风格的图像描述数据集：审核、编辑、重新生成描述并导出。</translation>
    </message>
    <message>
        <source>Facet Studio</source>
        <translation>Facet Studio</translation>
    </message>
    <message>
        <source>Facet Studio — %1</source>
        <translation>Facet Studio — %1</translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation>（只读）</translation>
    </message>
    <message>
        <source>No project is open.

Open a project (Ctrl+O) or create a new one (Ctrl+N).</source>
        <translation>没有打开的项目。

打开一个项目（Ctrl+O）或新建一个项目（Ctrl+N）。</translation>
    </message>
    <message>
        <source>%1

Open another project (Ctrl+O) or create a new one (Ctrl+N).</source>
        <translation>%1

打开其他项目（Ctrl+O）或新建一个项目（Ctrl+N）。</translation>
    </message>
    <message>
        <source>No project open</source>
        <translation>未打开项目</translation>
    </message>
    <message>
        <source>The selected image, its caption and its history appear here.</source>
        <translation>选中的图像及其描述和历史会显示在这里。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>This project has no items.</source>
        <translation>此项目没有条目。</translation>
    </message>
    <message>
        <source>This project has no items yet.

Import a ShareGPT4V file… (Ctrl+I)</source>
        <translation>此项目还没有条目。

导入一个 ShareGPT4V 文件…（Ctrl+I）</translation>
    </message>
    <message>
        <source>No sources</source>
        <translation>没有来源</translation>
    </message>
    <message>
        <source>No sources yet.
Import a ShareGPT4V file… (Ctrl+I)</source>
        <translation>还没有来源。
导入一个 ShareGPT4V 文件…（Ctrl+I）</translation>
    </message>
    <message>
        <source>Nothing matches “%1”.

Change the filter (Ctrl+F) or choose “All items” on the left.</source>
        <translation>没有符合“%1”的条目。

请修改筛选条件（Ctrl+F），或在左侧选择“全部条目”。</translation>
    </message>
    <message>
        <source>No item selected</source>
        <translation>未选择条目</translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s)</source>
        <translation>
            <numerusform>%Ln 个条目</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s) in filter</source>
        <translation>
            <numerusform>筛选结果 %Ln 个条目</numerusform>
        </translation>
    </message>
    <message>
        <source> · %1 selected</source>
        <translation> · 已选择 %1 个</translation>
    </message>
    <message>
        <source>%1 pending</source>
        <translation>待审核 %1</translation>
    </message>
    <message>
        <source>%1 accepted</source>
        <translation>已接受 %1</translation>
    </message>
    <message>
        <source>%1 rejected</source>
        <translation>已拒绝 %1</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Recaption &amp;Selection…</source>
        <translation>为选中条目重新生成描述(&amp;S)…</translation>
    </message>
    <message>
        <source>Recaption Everything Matching the &amp;Filter…</source>
        <translation>为所有符合筛选条件的条目重新生成描述(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Compare Caption Versions…</source>
        <translation>比较描述版本(&amp;C)…</translation>
    </message>
    <message>
        <source>Re&amp;caption</source>
        <translation>重新生成(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Jobs</source>
        <translation>任务(&amp;J)</translation>
    </message>
    <message>
        <source>%1 has only one caption version: nothing to compare yet</source>
        <translation>%1 只有一个描述版本：暂无可比较的内容</translation>
    </message>
    <message numerus="yes">
        <source>Imported %Ln record(s)</source>
        <translation>
            <numerusform>已导入 %Ln 条记录</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Strict import: nothing was imported because %Ln record(s) are bad (see Issues)</source>
        <translation>
            <numerusform>严格导入：由于有 %Ln 条记录有误，未导入任何内容（见“问题”）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln more skipped record(s) are not listed</source>
        <translation>
            <numerusform>另有 %Ln 条跳过的记录未列出</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) not found under this folder of the image root</source>
        <translation>
            <numerusform>在图像根目录的此文件夹下找不到 %Ln 张图像</numerusform>
        </translation>
    </message>
    <message>
        <source>Recompute &amp;Facets</source>
        <translation>重新计算维度(&amp;F)</translation>
    </message>
    <message>
        <source>Splits and classifies every caption again with the current facet model and the project&apos;s cues; reviewers&apos; labels are kept</source>
        <translation>用当前的维度模型和项目的线索重新切分并分类每条描述；保留审核者的标注</translation>
    </message>
    <message>
        <source>Recomputing facets</source>
        <translation>正在重新计算维度</translation>
    </message>
    <message numerus="yes">
        <source>Recomputed the facets of %Ln caption version(s).</source>
        <translation>
            <numerusform>已重新计算 %Ln 个描述版本的维度。</numerusform>
        </translation>
    </message>
    <message>
        <source>Recompute Facets</source>
        <translation>重新计算维度</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>This project&apos;s facets were computed by an older version of the facet classifier, or before the project&apos;s facet cues changed, so some sentences may be grouped differently from what the classifier says now. Recompute them to bring every caption up to date; sentences a reviewer moved keep their facets.</source>
        <translation>本项目的维度是由旧版维度分类器计算的，或是在项目的维度线索更改之前计算的，因此有些句子的分组可能与分类器现在给出的不同。重新计算可让每条描述保持最新；审阅者移动过的句子保留其维度。</translation>
    </message>
</context>
<context>
    <name>facet::Palette</name>
    <message>
        <source>the colour of accepted items</source>
        <translation>已接受条目的颜色</translation>
    </message>
    <message>
        <source>the colour of rejected items</source>
        <translation>已拒绝条目的颜色</translation>
    </message>
    <message>
        <source>the colour of pending items</source>
        <translation>待审核条目的颜色</translation>
    </message>
    <message>
        <source>the colour of recaptioned items</source>
        <translation>已重新生成描述条目的颜色</translation>
    </message>
    <message>
        <source>the colour of the %1 facet</source>
        <translation>%1 维度的颜色</translation>
    </message>
</context>
<context>
    <name>facet::Project</name>
    <message>
        <source>%1 is an SQLite database but not a Facet Studio project</source>
        <translation>%1 是 SQLite 数据库，但不是 Facet Studio 项目</translation>
    </message>
    <message>
        <source>%1 has no schema version; it is not a Facet Studio project</source>
        <translation>%1 没有架构版本；它不是 Facet Studio 项目</translation>
    </message>
    <message>
        <source>%1 has an invalid schema version</source>
        <translation>%1 的架构版本无效</translation>
    </message>
    <message>
        <source>%1 was written by a newer Facet Studio (schema %2, this version reads %3); it was not modified</source>
        <translation>%1 由较新版本的 Facet Studio 写入（架构 %2，本版本只能读取 %3）；文件未被修改</translation>
    </message>
    <message>
        <source>No project at %1</source>
        <translation>%1 处没有项目</translation>
    </message>
    <message>
        <source>%1 is not a file</source>
        <translation>%1 不是文件</translation>
    </message>
    <message>
        <source>%1 is not a Facet Studio project (not an SQLite file)</source>
        <translation>%1 不是 Facet Studio 项目（不是 SQLite 文件）</translation>
    </message>
    <message>
        <source>opened read-only on request</source>
        <translation>已按要求以只读方式打开</translation>
    </message>
    <message>
        <source>the file or its folder is not writable</source>
        <translation>文件或其所在文件夹不可写</translation>
    </message>
    <message>
        <source>%1 is empty and read-only</source>
        <translation>%1 为空且只读</translation>
    </message>
    <message>
        <source>%1 needs an upgrade but is read-only</source>
        <translation>%1 需要升级，但它是只读的</translation>
    </message>
    <message>
        <source>Cannot open project %1: %2</source>
        <translation>无法打开项目 %1：%2</translation>
    </message>
    <message>
        <source>Project %1 is damaged: the file is truncated; it was not modified</source>
        <translation>项目 %1 已损坏：文件被截断；未对其做任何修改</translation>
    </message>
</context>
<context>
    <name>facet::ProjectWorker</name>
    <message>
        <source>Nothing changed: already %1</source>
        <translation>没有变化：已经是 %1</translation>
    </message>
    <message numerus="yes">
        <source>Accepted %n item(s)</source>
        <translation>
            <numerusform>已接受 %n 个条目</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rejected %n item(s)</source>
        <translation>
            <numerusform>已拒绝 %n 个条目</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Reset %n item(s) to pending</source>
        <translation>
            <numerusform>已将 %n 个条目重置为待审核</numerusform>
        </translation>
    </message>
    <message>
        <source>Saved a new caption version</source>
        <translation>已保存新的描述版本</translation>
    </message>
    <message>
        <source>Undid: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的操作</translation>
    </message>
    <message>
        <source>Redid: %1</source>
        <translation>已重做：%1</translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation>没有可重做的操作</translation>
    </message>
    <message>
        <source>Saved the edited sentence as a new caption version</source>
        <translation>已将编辑后的句子保存为新的描述版本</translation>
    </message>
    <message>
        <source>Deleted the sentence (a new caption version)</source>
        <translation>已删除该句子（生成了新的描述版本）</translation>
    </message>
    <message>
        <source>Moved the sentence to %1</source>
        <translation>已将句子移到 %1</translation>
    </message>
</context>
<context>
    <name>facet::ProviderProtocol</name>
    <message>
        <source>internal error: request template without image</source>
        <translation>内部错误：请求模板中没有图像</translation>
    </message>
    <message>
        <source>Listing models failed: HTTP %1: %2</source>
        <translation>获取模型列表失败：HTTP %1：%2</translation>
    </message>
    <message>
        <source>Listing models failed: the reply is not JSON</source>
        <translation>获取模型列表失败：回复不是 JSON</translation>
    </message>
    <message>
        <source>Listing models failed: the reply has no &apos;%1&apos; list</source>
        <translation>获取模型列表失败：回复中没有“%1”列表</translation>
    </message>
</context>
<context>
    <name>facet::Query</name>
    <message>
        <source>Query term &apos;-&apos;: nothing to negate after &apos;-&apos;</source>
        <translation>查询条件“-”：“-”之后没有可取反的内容</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: unterminated quote</source>
        <translation>查询条件“%1”：引号未闭合</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: chars needs a number, as in chars:&lt;200, chars:&gt;=1000 or chars:500</source>
        <translation>查询条件“%1”：chars 需要一个数字，例如 chars:&lt;200、chars:&gt;=1000 或 chars:500</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: unknown key &apos;%2:&apos; (known: %3)</source>
        <translation>查询条件“%1”：未知的键“%2:”（可用：%3）</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: empty value after &apos;%2:&apos;</source>
        <translation>查询条件“%1”：“%2:”之后的值为空</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: status must be pending, accepted or rejected</source>
        <translation>查询条件“%1”：status 只能是 pending、accepted 或 rejected</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: image must be ok, missing, broken or none</source>
        <translation>查询条件“%1”：image 只能是 ok、missing、broken 或 none</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: origin must be imported, human or model</source>
        <translation>查询条件“%1”：origin 只能是 imported、human 或 model</translation>
    </message>
    <message>
        <source>Query term &apos;%1&apos;: empty phrase</source>
        <translation>查询条件“%1”：短语为空</translation>
    </message>
    <message>
        <source>nothing selected: give --id, --filter or --all</source>
        <translation>未选择任何内容：请指定 --id、--filter 或 --all</translation>
    </message>
</context>
<context>
    <name>facet::ReasonDialog</name>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Reject this item?</source>
        <translation>拒绝此条目？</translation>
    </message>
    <message>
        <source>Reject %1 selected items?</source>
        <translation>拒绝选中的 %1 个条目？</translation>
    </message>
    <message>
        <source>Reason (optional), e.g. hallucinated text, wrong landmark</source>
        <translation>原因（可选），例如：幻觉内容、地标错误</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>拒绝(&amp;R)</translation>
    </message>
</context>
<context>
    <name>facet::RecaptionDialog</name>
    <message>
        <source>Recaption</source>
        <translation>重新生成描述</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>OpenAI-compatible server (vLLM, llama.cpp, LM Studio…)</source>
        <translation>OpenAI 兼容服务器（vLLM、llama.cpp、LM Studio…）</translation>
    </message>
    <message>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>服务提供方(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>基础 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <source>Ask the server which models it serves</source>
        <translation>向服务器查询其提供的模型</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>P&amp;rompt:</source>
        <translation>提示词(&amp;R)：</translation>
    </message>
    <message>
        <source>Variables: {caption} the current caption, {source} the source name, {id} the record id. The image is always sent.</source>
        <translation>变量：{caption} 为当前描述，{source} 为来源名称，{id} 为记录 ID。图像总会一并发送。</translation>
    </message>
    <message>
        <source>Max &amp;tokens per caption:</source>
        <translation>每条描述的最大 token 数(&amp;T)：</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>low (85 tokens per image)</source>
        <translation>低（每张图像 85 个 token）</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Image &amp;detail:</source>
        <translation>图像细节(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Concurrent requests:</source>
        <translation>并发请求数(&amp;C)：</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>条目</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>估算</translation>
    </message>
    <message>
        <source>API key: from the system keychain.</source>
        <translation>API 密钥：来自系统钥匙串。</translation>
    </message>
    <message>
        <source>API key: from $%1.</source>
        <translation>API 密钥：来自 $%1。</translation>
    </message>
    <message>
        <source>No API key: set OPENAI_API_KEY in the environment (or store the key in the system keychain with the command line) and reopen this dialog. OpenAI refuses requests without one.</source>
        <translation>没有 API 密钥：请在环境变量中设置 OPENAI_API_KEY（或用命令行将密钥保存到系统钥匙串中），然后重新打开此对话框。没有密钥时 OpenAI 会拒绝请求。</translation>
    </message>
    <message>
        <source>No API key (none needed for most local servers; FACET_API_KEY sets one).</source>
        <translation>没有 API 密钥（大多数本地服务器不需要；可用 FACET_API_KEY 设置）。</translation>
    </message>
    <message>
        <source>Asking %1 for its models…</source>
        <translation>正在向 %1 查询模型…</translation>
    </message>
    <message>
        <source>Could not list the models: %1</source>
        <translation>无法列出模型：%1</translation>
    </message>
    <message>
        <source>The server lists no models; type the name.</source>
        <translation>服务器没有列出任何模型；请手动输入名称。</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s) on the server.</source>
        <translation>
            <numerusform>服务器上有 %n 个模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>Estimating…</source>
        <translation>正在估算…</translation>
    </message>
    <message>
        <source>Nothing selected.</source>
        <translation>未选择任何内容。</translation>
    </message>
    <message>
        <source>No estimate: %1</source>
        <translation>无法估算：%1</translation>
    </message>
    <message>
        <source>Input: about %1 tokens (%2 image, %3 text). Output: at most %4 tokens.</source>
        <translation>输入：约 %1 个 token（图像 %2，文本 %3）。输出：最多 %4 个 token。</translation>
    </message>
    <message>
        <source>Cost: at most about $%1 (prices for %2).</source>
        <translation>费用：最多约 $%1（按 %2 的价格）。</translation>
    </message>
    <message>
        <source>Cost: unknown (no price for “%1” in the project&apos;s price table; facet jobs PROJECT --set-price sets one).</source>
        <translation>费用：未知（项目价格表中没有“%1”的价格；可用 facet jobs PROJECT --set-price 设置）。</translation>
    </message>
    <message>
        <source>Choose a model.</source>
        <translation>请选择一个模型。</translation>
    </message>
    <message>
        <source>No API key for OpenAI: set OPENAI_API_KEY (or store one in the system keychain) first.</source>
        <translation>没有 OpenAI 的 API 密钥：请先设置 OPENAI_API_KEY（或将密钥保存在系统钥匙串中）。</translation>
    </message>
    <message>
        <source>Listing the models needs an API key; type the model name or set one first.</source>
        <translation>列出模型需要 API 密钥；请手动输入模型名称，或先设置密钥。</translation>
    </message>
    <message numerus="yes">
        <source>The selection (%Ln item(s))</source>
        <translation>
            <numerusform>所选条目（%Ln 个）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything (%Ln item(s))</source>
        <translation>
            <numerusform>全部（%Ln 个条目）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Everything matching “%1” (%Ln item(s))</source>
        <translation>
            <numerusform>所有匹配“%1”的条目（%Ln 个）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) to send</source>
        <translation>
            <numerusform>将发送 %Ln 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%Ln item(s) without an image are skipped)</source>
        <translation>
            <numerusform>（跳过 %Ln 个没有图像的条目）</numerusform>
        </translation>
    </message>
    <message>
        <source>Cost: choose a model to see it.</source>
        <translation>费用：请先选择模型。</translation>
    </message>
</context>
<context>
    <name>facet::RecaptionImage</name>
    <message>
        <source>cannot read the image</source>
        <translation>无法读取图像</translation>
    </message>
    <message>
        <source>the image cannot be decoded</source>
        <translation>无法解码图像</translation>
    </message>
    <message>
        <source>the image could not be encoded as JPEG</source>
        <translation>无法将图像编码为 JPEG</translation>
    </message>
    <message>
        <source>the image could not be encoded as JPEG: %1</source>
        <translation>无法将图像编码为 JPEG：%1</translation>
    </message>
    <message>
        <source>not enough memory to encode the image</source>
        <translation>内存不足，无法编码图像</translation>
    </message>
</context>
<context>
    <name>facet::RecaptionRunner</name>
    <message>
        <source>Job %1: %2 items to do with %3 at %4</source>
        <translation>任务 %1：待处理 %2 个条目，模型 %3，地址 %4</translation>
    </message>
    <message>
        <source>Job %1 stopped: %2</source>
        <translation>任务 %1 已停止：%2</translation>
    </message>
    <message>
        <source>Job %1 paused</source>
        <translation>任务 %1 已暂停</translation>
    </message>
    <message>
        <source>Job %1 resumed</source>
        <translation>任务 %1 已继续</translation>
    </message>
    <message>
        <source>image missing: %1</source>
        <translation>图像缺失：%1</translation>
    </message>
    <message>
        <source>image unreadable: %1</source>
        <translation>图像无法读取：%1</translation>
    </message>
    <message>
        <source>the reply could not be used as a caption</source>
        <translation>回复无法用作描述</translation>
    </message>
    <message>
        <source>%1 (item %2)</source>
        <translation>%1（条目 %2）</translation>
    </message>
    <message>
        <source> [request %1]</source>
        <translation> [请求 %1]</translation>
    </message>
    <message numerus="yes">
        <source>gave up after %n attempt(s): %1</source>
        <translation>
            <numerusform>尝试 %n 次后放弃：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2; retrying in %3 s (attempt %4 of %5)</source>
        <translation>%1：%2；%3 秒后重试（第 %4 次，共 %5 次）</translation>
    </message>
    <message>
        <source>%1 items in a row could not be recaptioned; last error: %2</source>
        <translation>连续 %1 个条目无法重新生成描述；最后一个错误：%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2：%3</translation>
    </message>
    <message>
        <source>Project %1 is read-only (%2); the job cannot run</source>
        <translation>项目 %1 为只读（%2）；任务无法运行</translation>
    </message>
    <message>
        <source>Job %1 is already running</source>
        <translation>任务 %1 已在运行</translation>
    </message>
    <message>
        <source>No job %1 in %2</source>
        <translation>%2 中没有任务 %1</translation>
    </message>
    <message>
        <source>Job %1 is running in process %2</source>
        <translation>任务 %1 正在进程 %2 中运行</translation>
    </message>
    <message>
        <source>Job %1 cannot run: %2</source>
        <translation>任务 %1 无法运行：%2</translation>
    </message>
    <message>
        <source>The job runner was already started</source>
        <translation>任务执行器已经启动</translation>
    </message>
</context>
<context>
    <name>facet::RecaptionSettings</name>
    <message>
        <source>The job&apos;s settings are damaged (not a JSON object)</source>
        <translation>任务设置已损坏（不是 JSON 对象）</translation>
    </message>
    <message>
        <source>The job&apos;s settings name an unknown provider &apos;%1&apos;</source>
        <translation>任务设置中指定了未知的服务提供方“%1”</translation>
    </message>
    <message>
        <source>give the model name (--model)</source>
        <translation>请指定模型名称（--model）</translation>
    </message>
    <message>
        <source>the base URL must start with http:// or https://, not &apos;%1&apos;</source>
        <translation>基础 URL 必须以 http:// 或 https:// 开头，而不是“%1”</translation>
    </message>
    <message>
        <source>the concurrency must be 1 to 256</source>
        <translation>并发数必须在 1 到 256 之间</translation>
    </message>
    <message>
        <source>the maximum number of tokens must be 1 to 1000000</source>
        <translation>最大 token 数必须在 1 到 1000000 之间</translation>
    </message>
    <message>
        <source>detail must be low, high or auto, not &apos;%1&apos;</source>
        <translation>detail 只能是 low、high 或 auto，而不是“%1”</translation>
    </message>
    <message>
        <source>the longest image side must be 64 to 8192 pixels</source>
        <translation>图像最长边必须在 64 到 8192 像素之间</translation>
    </message>
    <message>
        <source>the JPEG quality must be 30 to 100</source>
        <translation>JPEG 质量必须在 30 到 100 之间</translation>
    </message>
    <message>
        <source>the temperature must be 0 to 2</source>
        <translation>温度必须在 0 到 2 之间</translation>
    </message>
    <message>
        <source>unknown facet &apos;%1&apos; (one of %2)</source>
        <translation>未知维度“%1”（可选：%2）</translation>
    </message>
    <message>
        <source>structured output and regenerating one facet cannot be combined</source>
        <translation>结构化输出不能与只重新生成一个维度同时使用</translation>
    </message>
    <message>
        <source>the number of attempts must be 1 to 100</source>
        <translation>尝试次数必须在 1 到 100 之间</translation>
    </message>
    <message>
        <source>the base URL must not contain a user name or password; give the key through the environment or the keychain</source>
        <translation>基础 URL 中不能包含用户名或密码；请通过环境变量或钥匙串提供密钥</translation>
    </message>
    <message>
        <source>the proxy URL must not contain a user name or password; set https_proxy in the environment</source>
        <translation>代理 URL 中不能包含用户名或密码；请在环境变量中设置 https_proxy</translation>
    </message>
</context>
<context>
    <name>facet::RecordParser</name>
    <message>
        <source>invalid JSON: %1</source>
        <translation>无效的 JSON：%1</translation>
    </message>
    <message>
        <source>it has no &quot;conversations&quot;</source>
        <translation>缺少“conversations”</translation>
    </message>
    <message>
        <source>it has no gpt turn (no turn with &quot;from&quot;: &quot;gpt&quot; or &quot;assistant&quot;)</source>
        <translation>没有 gpt 轮次（没有 &quot;from&quot; 为 &quot;gpt&quot; 或 &quot;assistant&quot; 的轮次）</translation>
    </message>
    <message>
        <source>turn %1 has &quot;from&quot; twice</source>
        <translation>第 %1 轮包含两个 &quot;from&quot;</translation>
    </message>
    <message>
        <source>turn %1 has &quot;value&quot; twice</source>
        <translation>第 %1 轮包含两个 &quot;value&quot;</translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; appears twice</source>
        <translation>键 &quot;%1&quot; 出现了两次</translation>
    </message>
    <message>
        <source>the record is not a JSON object</source>
        <translation>该记录不是 JSON 对象</translation>
    </message>
    <message>
        <source>&quot;id&quot; is neither a string nor a number</source>
        <translation>&quot;id&quot; 既不是字符串也不是数字</translation>
    </message>
    <message>
        <source>&quot;image&quot; is not a string</source>
        <translation>&quot;image&quot; 不是字符串</translation>
    </message>
    <message>
        <source>&quot;conversations&quot; is not an array</source>
        <translation>&quot;conversations&quot; 不是数组</translation>
    </message>
    <message>
        <source>turn %1 is not an object</source>
        <translation>第 %1 轮不是对象</translation>
    </message>
    <message>
        <source>turn %1: &quot;from&quot; is not a string</source>
        <translation>第 %1 轮：&quot;from&quot; 不是字符串</translation>
    </message>
    <message>
        <source>turn %1: &quot;value&quot; is not a string</source>
        <translation>第 %1 轮：&quot;value&quot; 不是字符串</translation>
    </message>
    <message>
        <source>turn %1 has no &quot;from&quot;</source>
        <translation>第 %1 轮缺少 &quot;from&quot;</translation>
    </message>
    <message>
        <source>turn %1 has no &quot;value&quot;</source>
        <translation>第 %1 轮缺少 &quot;value&quot;</translation>
    </message>
    <message>
        <source>the caption (turn %1) is %2 bytes long, more than the limit of %3 bytes</source>
        <translation>描述（第 %1 轮）长 %2 字节，超过了 %3 字节的上限</translation>
    </message>
    <message>
        <source>the object is empty; expected {&quot;&lt;image path&gt;&quot;: &quot;&lt;caption&gt;&quot;}</source>
        <translation>对象为空；应为 {&quot;&lt;图像路径&gt;&quot;: &quot;&lt;描述&gt;&quot;}</translation>
    </message>
    <message>
        <source>the object has more than one key; expected {&quot;&lt;image path&gt;&quot;: &quot;&lt;caption&gt;&quot;}</source>
        <translation>对象包含多个键；应为 {&quot;&lt;图像路径&gt;&quot;: &quot;&lt;描述&gt;&quot;}</translation>
    </message>
    <message>
        <source>the caption for %1 is not a string</source>
        <translation>%1 的描述不是字符串</translation>
    </message>
    <message>
        <source>the caption is %1 bytes long, more than the limit of %2 bytes</source>
        <translation>描述长 %1 字节，超过了 %2 字节的上限</translation>
    </message>
</context>
<context>
    <name>facet::SearchBar</name>
    <message>
        <source>Filter (Ctrl+F): status:pending source:sam facet:spatial chars:&lt;200 &quot;red car&quot;</source>
        <translation>筛选（Ctrl+F）：status:pending source:sam facet:spatial chars:&lt;200 &quot;red car&quot;</translation>
    </message>
    <message>
        <source>Terms must all hold; -term negates.
status:pending|accepted|rejected  source:NAME  facet:KEY
image:ok|missing|broken|none  origin:imported|human|model
model:NAME  reviewer:NAME  chars:&lt;N  chars:&gt;N  id:ID  path:GLOB
Other words and &quot;quoted phrases&quot; search the caption text.
Enter applies the filter; Esc returns to the grid.</source>
        <translation>所有条件须同时满足；-条件 表示取反。
status:pending|accepted|rejected  source:名称  facet:键
image:ok|missing|broken|none  origin:imported|human|model
model:名称  reviewer:名称  chars:&lt;N  chars:&gt;N  id:ID  path:通配符
其他词语和 &quot;带引号的短语&quot; 会在描述文本中搜索。
按 Enter 应用筛选；按 Esc 返回网格。</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>筛选器</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待审核</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Edited by a human</source>
        <translation>人工编辑过</translation>
    </message>
    <message>
        <source>Written by a model</source>
        <translation>由模型生成</translation>
    </message>
    <message>
        <source>Short captions (under 200 characters)</source>
        <translation>短描述（少于 200 个字符）</translation>
    </message>
    <message>
        <source>Missing images</source>
        <translation>图像缺失</translation>
    </message>
    <message>
        <source>Broken images</source>
        <translation>图像已损坏</translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Still showing everything.</source>
        <translation>仍显示全部条目。</translation>
    </message>
    <message>
        <source>Still showing the filter “%1”.</source>
        <translation>仍显示过滤条件“%1”的结果。</translation>
    </message>
</context>
<context>
    <name>facet::SegmentEdits</name>
    <message>
        <source>No item with internal id %1</source>
        <translation>没有内部 ID 为 %1 的条目</translation>
    </message>
    <message>
        <source>Item %1 has no caption</source>
        <translation>条目 %1 没有描述</translation>
    </message>
    <message>
        <source>The caption of %1 has no segment %2</source>
        <translation>%1 的描述没有片段 %2</translation>
    </message>
    <message>
        <source>The segments of %1 do not match its caption; recompute facets</source>
        <translation>%1 的片段与其描述不一致；请重新计算维度</translation>
    </message>
    <message>
        <source>Delete sentence %1</source>
        <translation>删除第 %1 句</translation>
    </message>
    <message>
        <source>Edit sentence %1</source>
        <translation>编辑第 %1 句</translation>
    </message>
    <message>
        <source>Move sentence %1 to %2</source>
        <translation>将第 %1 句移到 %2</translation>
    </message>
    <message>
        <source>This is the only sentence of %1&apos;s caption; edit the caption or reject the item instead</source>
        <translation>这是 %1 的描述中唯一的句子；请改为编辑描述或拒绝该条目</translation>
    </message>
</context>
<context>
    <name>facet::ShortcutSheet</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Save the edited caption as a new version</source>
        <translation>将编辑后的描述保存为新版本</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Extend the selection</source>
        <translation>扩展选择</translation>
    </message>
    <message>
        <source>Shift+click, Shift+arrows</source>
        <translation>Shift+单击，Shift+方向键</translation>
    </message>
    <message>
        <source>Add to the selection</source>
        <translation>加入选择</translation>
    </message>
    <message>
        <source>Ctrl+click</source>
        <translation>Ctrl+单击</translation>
    </message>
    <message>
        <source>Apply the filter</source>
        <translation>应用筛选</translation>
    </message>
    <message>
        <source>Edit the selected sentence (By facet tab)</source>
        <translation>编辑所选句子（“按维度”标签页）</translation>
    </message>
    <message>
        <source>Move the selected sentence to another facet</source>
        <translation>将所选句子移到其他维度</translation>
    </message>
    <message>
        <source>Delete the selected sentence</source>
        <translation>删除所选句子</translation>
    </message>
    <message>
        <source>Why this facet? (show or hide)</source>
        <translation>为何属于该维度？（显示或隐藏）</translation>
    </message>
</context>
<context>
    <name>facet::SourcesPanel</name>
    <message>
        <source>%1
%2 items: %3 pending, %4 accepted, %5 rejected</source>
        <translation>%1
%2 个条目：待审核 %3，已接受 %4，已拒绝 %5</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>All items</source>
        <translation>全部条目</translation>
    </message>
</context>
<context>
    <name>facet::StatusColors</name>
    <message>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待审核</translation>
    </message>
</context>
<context>
    <name>facet::TarIndexer</name>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
    <message>
        <source>Cannot read %1: out of memory</source>
        <translation>无法读取 %1：内存不足</translation>
    </message>
    <message>
        <source>Cannot read the tar shard %1: %2</source>
        <translation>无法读取 tar 分片 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a tar file: %2</source>
        <translation>%1 不是 tar 文件：%2</translation>
    </message>
    <message>
        <source>the shard is damaged or truncated at byte %1: %2</source>
        <translation>分片在第 %1 字节处损坏或被截断：%2</translation>
    </message>
    <message>
        <source>the shard is damaged at byte %1: member %2 declares a negative size</source>
        <translation>分片在第 %1 字节处损坏：成员 %2 声明的大小为负数</translation>
    </message>
    <message>
        <source>%1 is a compressed tar (%2); decompress it first so that images can be read from it by offset</source>
        <translation>%1 是压缩的 tar 文件（%2）；请先解压，以便按偏移量从中读取图像</translation>
    </message>
    <message>
        <source>the member is %1 bytes long, more than the limit of %2 bytes</source>
        <translation>该成员长 %1 字节，超过了 %2 字节的上限</translation>
    </message>
    <message>
        <source>cannot read the member: %1</source>
        <translation>无法读取该成员：%1</translation>
    </message>
</context>
<context>
    <name>facet::ThumbnailLoader</name>
    <message>
        <source>Cannot decode image</source>
        <translation>无法解码图像</translation>
    </message>
</context>
<context>
    <name>facet::Verifier</name>
    <message>
        <source>%1 is open read-only, so verify cannot record which images are broken</source>
        <translation>%1 以只读方式打开，因此校验无法记录哪些图像已损坏</translation>
    </message>
    <message>
        <source>Verifying images</source>
        <translation>正在校验图像</translation>
    </message>
</context>
<context>
    <name>facet::VersionDiffDialog</name>
    <message>
        <source>model %1</source>
        <translation>模型 %1</translation>
    </message>
    <message>
        <source>edited by %1</source>
        <translation>由 %1 编辑</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Compare Caption Versions — %1</source>
        <translation>比较描述版本 — %1</translation>
    </message>
    <message>
        <source>v%1 · %2 · %3</source>
        <translation>v%1 · %2 · %3</translation>
    </message>
    <message>
        <source> (current)</source>
        <translation>（当前）</translation>
    </message>
    <message>
        <source>&amp;Keep This Version</source>
        <translation>保留此版本(&amp;K)</translation>
    </message>
    <message>
        <source>&lt;span style=&quot;background:%1;color:%2&quot;&gt;&amp;nbsp;removed&amp;nbsp;&lt;/span&gt; only on the left · &lt;span style=&quot;background:%3;color:%4&quot;&gt;&amp;nbsp;added&amp;nbsp;&lt;/span&gt; only on the right</source>
        <translation>&lt;span style=&quot;background:%1;color:%2&quot;&gt;&amp;nbsp;删除&amp;nbsp;&lt;/span&gt; 仅在左侧 · &lt;span style=&quot;background:%3;color:%4&quot;&gt;&amp;nbsp;新增&amp;nbsp;&lt;/span&gt; 仅在右侧</translation>
    </message>
    <message>
        <source>This version is the current caption</source>
        <translation>此版本就是当前描述</translation>
    </message>
    <message>
        <source>Keeping v%1…</source>
        <translation>正在保留 v%1…</translation>
    </message>
    <message>
        <source>Could not keep the version: %1</source>
        <translation>无法保留该版本：%1</translation>
    </message>
    <message>
        <source>v%1 is now the current caption (Ctrl+Z in the review window undoes it).</source>
        <translation>v%1 现在是当前描述（在审核窗口中按 Ctrl+Z 可撤销）。</translation>
    </message>
</context>
<context>
    <name>facet::cli::Arguments</name>
    <message>
        <source>unknown option %1</source>
        <translation>未知选项 %1</translation>
    </message>
    <message>
        <source>-o needs a value</source>
        <translation>-o 需要一个值</translation>
    </message>
    <message>
        <source>--%1 takes no value</source>
        <translation>--%1 不接受值</translation>
    </message>
    <message>
        <source>--%1 given twice</source>
        <translation>--%1 被指定了两次</translation>
    </message>
    <message>
        <source>--%1 needs a value</source>
        <translation>--%1 需要一个值</translation>
    </message>
    <message>
        <source>unknown option --%1</source>
        <translation>未知选项 --%1</translation>
    </message>
    <message>
        <source>--%1 must be a whole number from %2 to %3</source>
        <translation>--%1 必须是 %2 到 %3 之间的整数</translation>
    </message>
</context>
<context>
    <name>facet::cli::Output</name>
    <message>
        <source>wrong number of arguments</source>
        <translation>参数个数不正确</translation>
    </message>
    <message>
        <source>Project %1 is read-only (%2); nothing was changed</source>
        <translation>项目 %1 为只读（%2）；未做任何更改</translation>
    </message>
    <message>
        <source>give the project and at least one source</source>
        <translation>请指定项目和至少一个数据源</translation>
    </message>
    <message>
        <source>unknown format %1</source>
        <translation>未知格式 %1</translation>
    </message>
    <message>
        <source>--name applies to one source; give one source per import</source>
        <translation>--name 只适用于一个数据源；每次导入请只指定一个数据源</translation>
    </message>
    <message>
        <source>Cannot read %1: no such file or folder</source>
        <translation>无法读取 %1：没有该文件或文件夹</translation>
    </message>
    <message>
        <source>Project %1 is read-only (%2)</source>
        <translation>项目 %1 为只读（%2）</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>正在导入</translation>
    </message>
    <message>
        <source>%1: record %2%3: %4</source>
        <translation>%1：记录 %2%3：%4</translation>
    </message>
    <message>
        <source>… and %1 more skipped records</source>
        <translation>……另有 %1 条记录被跳过</translation>
    </message>
    <message>
        <source>Imported %1, skipped %2, duplicates %3, images missing %4</source>
        <translation>已导入 %1 条记录，跳过 %2 条，重复 %3 条，缺失图像 %4 个</translation>
    </message>
    <message>
        <source>  missing under %1/: %2</source>
        <translation>  %1/ 下缺失：%2</translation>
    </message>
    <message>
        <source>--strict: nothing was imported because some records are bad</source>
        <translation>--strict：部分记录有误，因此未导入任何内容</translation>
    </message>
    <message>
        <source>Project %1: %2 items, %3 caption versions</source>
        <translation>项目 %1：%2 个条目，%3 个描述版本</translation>
    </message>
    <message>
        <source>  status: %1 pending, %2 accepted, %3 rejected</source>
        <translation>  状态：待审核 %1，已接受 %2，已拒绝 %3</translation>
    </message>
    <message>
        <source>  images: %1 ok, %2 missing, %3 broken, %4 without image</source>
        <translation>  图像：正常 %1，缺失 %2，损坏 %3，无图像 %4</translation>
    </message>
    <message>
        <source>  source %1: %2 items</source>
        <translation>  来源 %1：%2 个条目</translation>
    </message>
    <message>
        <source>  facet %1: %2 sentences</source>
        <translation>  维度 %1：%2 个句子</translation>
    </message>
    <message>
        <source>%1 of %2 records shown (--limit 0 shows all)</source>
        <translation>显示了 %2 条记录中的 %1 条（--limit 0 显示全部）</translation>
    </message>
    <message>
        <source>give the project and one record id</source>
        <translation>请指定项目和一个记录 ID</translation>
    </message>
    <message>
        <source>No record with id %1 in %2</source>
        <translation>%2 中没有 ID 为 %1 的记录</translation>
    </message>
    <message>
        <source>%1  [%2]  source %3</source>
        <translation>%1  [%2]  来源 %3</translation>
    </message>
    <message>
        <source>image: %1 (%2)</source>
        <translation>图像：%1（%2）</translation>
    </message>
    <message>
        <source>reviewed by %1 at %2%3</source>
        <translation>由 %1 于 %2 审核%3</translation>
    </message>
    <message>
        <source>versions:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <source>segments:</source>
        <translation>片段：</translation>
    </message>
    <message>
        <source>history:</source>
        <translation>历史：</translation>
    </message>
    <message>
        <source> (undone)</source>
        <translation>（已撤销）</translation>
    </message>
    <message>
        <source>give exactly one of --accept, --reject, --reset</source>
        <translation>请在 --accept、--reject、--reset 中只指定一个</translation>
    </message>
    <message>
        <source>nothing selected: give --id, --filter or --all</source>
        <translation>未选择任何内容：请指定 --id、--filter 或 --all</translation>
    </message>
    <message>
        <source>give exactly one of --text, --text-file</source>
        <translation>请在 --text、--text-file 中只指定一个</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>the caption is empty; use `facet review --reject` to drop a record</source>
        <translation>描述为空；如需舍弃记录，请使用 `facet review --reject`</translation>
    </message>
    <message>
        <source>Caption of %1 saved as version %2</source>
        <translation>%1 的描述已保存为版本 %2</translation>
    </message>
    <message>
        <source>Undone: %1</source>
        <translation>已撤销：%1</translation>
    </message>
    <message>
        <source>Redone: %1</source>
        <translation>已重做：%1</translation>
    </message>
    <message>
        <source>Nothing to undo</source>
        <translation>没有可撤销的操作</translation>
    </message>
    <message>
        <source>Nothing to redo</source>
        <translation>没有可重做的操作</translation>
    </message>
    <message>
        <source>No actions yet</source>
        <translation>尚无操作</translation>
    </message>
    <message>
        <source>  (undone)</source>
        <translation>  （已撤销）</translation>
    </message>
    <message>
        <source>give the output file with -o</source>
        <translation>请用 -o 指定输出文件</translation>
    </message>
    <message>
        <source>unknown export format %1 (sharegpt4v or flat)</source>
        <translation>未知的导出格式 %1（可选 sharegpt4v 或 flat）</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>Wrote %1 records to %2</source>
        <translation>已将 %1 条记录写入 %2</translation>
    </message>
    <message>
        <source>Usage: facet COMMAND PROJECT [options]</source>
        <translation>用法：facet 命令 项目 [选项]</translation>
    </message>
    <message>
        <source>Exit status: 0 done, 1 finished but something failed, 2 usage error or nothing done.</source>
        <translation>退出状态：0 表示完成，1 表示已完成但有部分失败，2 表示用法错误或未执行任何操作。</translation>
    </message>
    <message>
        <source>unknown command %1</source>
        <translation>未知命令 %1</translation>
    </message>
    <message>
        <source>give the project file first</source>
        <translation>请先指定项目文件</translation>
    </message>
    <message>
        <source>usage: facet %1</source>
        <translation>用法：facet %1</translation>
    </message>
    <message>
        <source>cancelled; nothing of the unfinished work was written</source>
        <translation>已取消；未完成的工作均未写入</translation>
    </message>
    <message>
        <source>internal error: %1</source>
        <translation>内部错误：%1</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>facet: %1</source>
        <translation>facet：%1</translation>
    </message>
    <message>
        <source>Verifying images</source>
        <translation>正在校验图像</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
    <message>
        <source>Checked %1 images: %2 ok, %3 missing, %4 broken</source>
        <translation>已检查 %1 张图像：正常 %2，缺失 %3，损坏 %4</translation>
    </message>
    <message>
        <source>unknown (no price for the model)</source>
        <translation>未知（该模型没有价格）</translation>
    </message>
    <message>
        <source>give one of --prompt, --prompt-file</source>
        <translation>请在 --prompt、--prompt-file 中指定一个</translation>
    </message>
    <message>
        <source>the prompt file %1 is empty</source>
        <translation>提示词文件 %1 为空</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>give the provider: --provider openai|openai-compatible|ollama</source>
        <translation>请指定服务提供方：--provider openai|openai-compatible|ollama</translation>
    </message>
    <message>
        <source>unknown provider %1 (openai, openai-compatible or ollama)</source>
        <translation>未知的服务提供方 %1（可选 openai、openai-compatible 或 ollama）</translation>
    </message>
    <message>
        <source>--detail is an OpenAI option; other servers reject or ignore it</source>
        <translation>--detail 是 OpenAI 的选项；其他服务器会拒绝或忽略它</translation>
    </message>
    <message>
        <source>--temperature must be a number from 0 to 2</source>
        <translation>--temperature 必须是 0 到 2 之间的数字</translation>
    </message>
    <message>
        <source>No API key: set OPENAI_API_KEY in the environment%1</source>
        <translation>没有 API 密钥：请在环境变量中设置 OPENAI_API_KEY%1</translation>
    </message>
    <message>
        <source> or store a key in the OS keychain</source>
        <translation>，或将密钥保存在系统钥匙串中</translation>
    </message>
    <message>
        <source>Using the API key from %1</source>
        <translation>使用来自 %1 的 API 密钥</translation>
    </message>
    <message>
        <source>The server lists no models</source>
        <translation>服务器没有列出任何模型</translation>
    </message>
    <message>
        <source>%1 of %2, %3/s, ETA %4</source>
        <translation>%1 / %2，%3/秒，预计剩余 %4</translation>
    </message>
    <message>
        <source>, %1 retries</source>
        <translation>，重试 %1 次</translation>
    </message>
    <message>
        <source>, %1 failed</source>
        <translation>，失败 %1 个</translation>
    </message>
    <message>
        <source>Recaptioning</source>
        <translation>正在重新生成描述</translation>
    </message>
    <message>
        <source>resume with: facet recaption %1 --resume --job %2</source>
        <translation>继续执行：facet recaption %1 --resume --job %2</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2：%3</translation>
    </message>
    <message>
        <source>Job %1 %2: %3 new captions, %4 reused, %5 failed, %6 refused, %7 truncated, %8 still to do</source>
        <translation>任务 %1 %2：新描述 %3 个，复用 %4 个，失败 %5 个，被拒 %6 个，被截断 %7 个，待处理 %8 个</translation>
    </message>
    <message>
        <source>Tokens: %1 in, %2 out; cost %3</source>
        <translation>Token：输入 %1，输出 %2；费用 %3</translation>
    </message>
    <message>
        <source>facet: the job stopped: %1</source>
        <translation>facet：任务已停止：%1</translation>
    </message>
    <message>
        <source>facet: interrupted; everything finished so far is saved</source>
        <translation>facet：已中断；目前已完成的内容均已保存</translation>
    </message>
    <message>
        <source>--resume continues a job as it was created; --%1 cannot change it</source>
        <translation>--resume 会按创建时的设置继续任务；--%1 无法更改它</translation>
    </message>
    <message>
        <source>No job to resume in %1 (facet jobs %1 lists them)</source>
        <translation>%1 中没有可继续的任务（facet jobs %1 可列出任务）</translation>
    </message>
    <message>
        <source>No job %1 in %2</source>
        <translation>%2 中没有任务 %1</translation>
    </message>
    <message>
        <source>Job %1 has nothing left to do</source>
        <translation>任务 %1 已没有待处理的内容</translation>
    </message>
    <message>
        <source>Resuming job %1: %2 of %3 items left</source>
        <translation>继续任务 %1：%3 个条目中还剩 %2 个</translation>
    </message>
    <message>
        <source>give one of --prompt, --prompt-file, --prompt-name</source>
        <translation>请在 --prompt、--prompt-file、--prompt-name 中指定一个</translation>
    </message>
    <message>
        <source>no prompt named %1 (facet jobs P --prompts lists them)</source>
        <translation>没有名为 %1 的提示词（facet jobs P --prompts 可列出提示词）</translation>
    </message>
    <message>
        <source>Estimated input: %1 tokens (%2 for images, %3 for text)</source>
        <translation>预计输入：%1 个 token（图像 %2 个，文本 %3 个）</translation>
    </message>
    <message>
        <source>Output: at most %1 tokens (%2 per image)</source>
        <translation>输出：最多 %1 个 token（每张图像 %2 个）</translation>
    </message>
    <message>
        <source>Estimated cost: at most %1</source>
        <translation>预计费用：最多 %1</translation>
    </message>
    <message>
        <source>Image sizes read from a sample of %1 images</source>
        <translation>图像尺寸取自 %1 张图像的抽样</translation>
    </message>
    <message>
        <source>Dry run: nothing was sent or written</source>
        <translation>试运行：未发送或写入任何内容</translation>
    </message>
    <message>
        <source>None of the selected items has an image to recaption</source>
        <translation>选中的条目都没有可用于重新生成描述的图像</translation>
    </message>
    <message>
        <source>Job %1 cancelled</source>
        <translation>任务 %1 已取消</translation>
    </message>
    <message>
        <source>give --input and --output in USD per million tokens</source>
        <translation>请用 --input 和 --output 指定每百万 token 的美元价格</translation>
    </message>
    <message>
        <source>Price of %1: $%2 per million input tokens, $%3 per million output tokens</source>
        <translation>%1 的价格：每百万输入 token $%2，每百万输出 token $%3</translation>
    </message>
    <message>
        <source>No price for %1</source>
        <translation>%1 没有价格</translation>
    </message>
    <message>
        <source>Price of %1 removed</source>
        <translation>已删除 %1 的价格</translation>
    </message>
    <message>
        <source>No prices yet: facet jobs P --set-price MODEL --input USD --output USD</source>
        <translation>还没有价格：facet jobs P --set-price 模型 --input 美元 --output 美元</translation>
    </message>
    <message>
        <source>give the prompt text with --prompt or --prompt-file</source>
        <translation>请用 --prompt 或 --prompt-file 指定提示词文本</translation>
    </message>
    <message>
        <source>Prompt %1 saved</source>
        <translation>提示词 %1 已保存</translation>
    </message>
    <message>
        <source>No prompt named %1 in the project</source>
        <translation>项目中没有名为 %1 的提示词</translation>
    </message>
    <message>
        <source>Prompt %1 removed</source>
        <translation>提示词 %1 已删除</translation>
    </message>
    <message>
        <source> (built in)</source>
        <translation>（内置）</translation>
    </message>
    <message>
        <source> (default for source %1)</source>
        <translation>（来源 %1 的默认提示词）</translation>
    </message>
    <message>
        <source>--items must be pending, done, reused, failed or refused</source>
        <translation>--items 只能是 pending、done、reused、failed 或 refused</translation>
    </message>
    <message>
        <source>Job %1 (%2) %3 with %4 %5 at %6</source>
        <translation>任务 %1（%2）%3，使用 %4 %5，地址 %6</translation>
    </message>
    <message>
        <source>  %1 items: %2 done, %3 reused, %4 failed, %5 refused, %6 pending, %7 truncated</source>
        <translation>  %1 个条目：完成 %2，复用 %3，失败 %4，被拒 %5，待处理 %6，被截断 %7</translation>
    </message>
    <message>
        <source>  tokens %1 in, %2 out; cost %3; %4 requests</source>
        <translation>  token：输入 %1，输出 %2；费用 %3；请求 %4 次</translation>
    </message>
    <message>
        <source>  last error: %1</source>
        <translation>  最后一个错误：%1</translation>
    </message>
    <message>
        <source>No recaption jobs yet: facet recaption %1 --provider ... --model ... --all</source>
        <translation>还没有重新生成描述的任务：facet recaption %1 --provider ... --model ... --all</translation>
    </message>
    <message>
        <source>#%1  %2  %3 %4  %5/%6 finished (%7 failed)  %8 in / %9 out tokens  %10  %11</source>
        <translation>#%1  %2  %3 %4  已完成 %5/%6（失败 %7）  输入 %8 / 输出 %9 token  %10  %11</translation>
    </message>
    <message>
        <source>Computing facets</source>
        <translation>正在计算维度</translation>
    </message>
    <message>
        <source>Computed facet segments of %1 caption versions</source>
        <translation>已计算 %1 个描述版本的维度片段</translation>
    </message>
    <message>
        <source>… further notes left out; facet jobs %1 --job %2 --items failed lists the errors</source>
        <translation>……其余提示已省略；facet jobs %1 --job %2 --items failed 可列出错误</translation>
    </message>
    <message>
        <source>Estimated cost: unknown, no price for %1 (facet jobs %2 --set-price %1 --input USD_PER_MTOK --output USD_PER_MTOK)</source>
        <translation>预计费用：未知，%1 没有价格（facet jobs %2 --set-price %1 --input USD_PER_MTOK --output USD_PER_MTOK，单位为每百万 token 的美元价格）</translation>
    </message>
    <message>
        <source>Job %1: %2 images, estimated %3 input tokens, cost %4</source>
        <translation>任务 %1：%2 张图像，预计输入 %3 个 token，费用 %4</translation>
    </message>
    <message>
        <source>at most %1</source>
        <translation>最多 %1</translation>
    </message>
    <message>
        <source>give at most one of --cues, --no-cues</source>
        <translation>--cues 和 --no-cues 最多只能给出一个</translation>
    </message>
    <message>
        <source>%1 is empty; use --no-cues to remove the project&apos;s cues</source>
        <translation>%1 为空；要删除项目自己的线索，请使用 --no-cues</translation>
    </message>
    <message>
        <source>%1: %2; the project&apos;s cues were not changed</source>
        <translation>%1：%2；项目的线索未作更改</translation>
    </message>
    <message>
        <source>Stored the facet cues of %1; facets: %2</source>
        <translation>已保存 %1 中的维度线索；维度：%2</translation>
    </message>
    <message>
        <source>Removed the project&apos;s own facet cues; facets: %1</source>
        <translation>已删除项目自己的维度线索；维度：%1</translation>
    </message>
    <message>
        <source>%1 %2 (%3%)</source>
        <translation>%1 %2（%3%）</translation>
    </message>
    <message>
        <source>    captions covering each facet: %1</source>
        <translation>    覆盖各维度的描述数：%1</translation>
    </message>
    <message>
        <source>%1: facet %2: colour %3 is close to %4; reviewers will confuse the two</source>
        <translation>%1：维度 %2：颜色 %3 与%4相近；审核者会把两者混淆</translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s) would change to %1 (dry run, nothing written)</source>
        <translation>
            <numerusform>%Ln 条记录将变为 %1（试运行，未写入任何内容）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s) changed to %1</source>
        <translation>
            <numerusform>%Ln 条记录已变为 %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln image(s) to recaption with %1</source>
        <translation>
            <numerusform>将用 %1 重新生成 %Ln 张图像的描述</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%Ln selected item(s) without an image)</source>
        <translation>
            <numerusform>（所选条目中有 %Ln 个没有图像）</numerusform>
        </translation>
    </message>
    <message>
        <source>No records match</source>
        <translation>没有匹配的记录</translation>
    </message>
    <message>
        <source>  facets were computed by an earlier facet model or with other cues; `facet facets %1` recomputes them</source>
        <translation>  维度是由较早的维度模型或其他线索计算的；`facet facets %1` 会重新计算</translation>
    </message>
    <message>
        <source>image: %1 (%2: %3)</source>
        <translation>图像：%1（%2：%3）</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Review, edit and export ShareGPT4V-style image-caption datasets.</source>
        <translation>审核、编辑并导出 ShareGPT4V 风格的图像描述数据集。</translation>
    </message>
    <message>
        <source>The project file (.facet) to open.</source>
        <translation>要打开的项目文件（.facet）。</translation>
    </message>
    <message>
        <source>Open the project for browsing only: no review, edits or imports.</source>
        <translation>以只读浏览方式打开项目：不能审核、编辑或导入。</translation>
    </message>
</context>
</TS>
