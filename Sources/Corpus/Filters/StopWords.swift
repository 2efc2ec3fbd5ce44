/// Closed-class ("stop") words per language, for the ROOTS stop-word ratio filter. Written for this
/// project (function words, pronouns, auxiliaries, frequent particles), lowercase. Chinese and Japanese
/// lists hold single characters and two-character words, matched against characters and joined bigrams.
/// A language without a list skips the filter, as in the reference.
enum StopWords {
    static let lists: [String: String] = [
        "en": """
        a about above after again against all also am an and any are as at be because been before being below between both but by \
        can cannot could did do does doing done down during each either else even ever every few for from further get gets got had has \
        have having he her here hers herself him himself his how however i if in into is it its itself just least less let like made make \
        many may me might more most much must my myself neither no nor not now of off often on once one only or other others otherwise our \
        ours ourselves out over own per rather same several shall she should since so some such than that the their theirs them themselves \
        then there therefore these they this those though through thus to too under until up upon us use used uses using very via was we \
        were what whatever when where whether which while who whom whose why will with within without would yet you your yours yourself \
        yourselves it's don't can't isn't also
        """,
        "fr": """
        a à afin ai aie aient aies ait alors as au aucun aucune aupr auquel aura aurai auraient aurais aurait aussi autre autres aux \
        auxquelles auxquels avaient avais avait avec avez aviez avions avoir avons ayant c ce ceci cela celle celles celui ces cet cette \
        ceux chaque chez comme comment d dans de des dont du elle elles en encore entre es est et étaient était étant été être eu eux fait \
        faire fois font hors il ils j je jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lors lorsque lui m ma mais me même \
        mes moi mon n ne ni non nos notre nous on ont ou où par parce pas peu peut peuvent plus pour pourquoi puis qu quand que quel quelle \
        quelles quels qui quoi s sa sans se selon ses si sien sinon soi soit son sont sous suis sur t ta te tel telle tes toi ton tous tout \
        toute toutes très tu un une vers via voici voilà vos votre vous y c'est d'un d'une l'on qu'il
        """,
        "es": """
        a al algo algunas algunos ante antes aquel aquella aquellas aquellos aquí así aun aunque bajo bien cada casi como con contra \
        cual cuales cualquier cuando cuanto de del desde donde dos durante e el él ella ellas ello ellos en entre era eran eres es esa esas \
        ese eso esos esta está estaba estaban estado están estar estas este esto estos estoy fue fueron fui ha había habían han has hasta hay \
        he hemos la las le les lo los más me mi mientras mis mismo mucho muy nada ni no nos nosotros nuestra nuestro o os otra otras otro \
        otros para pero poco por porque pues que qué quien quienes se sea según ser si sí sido siempre sin sino sobre son su sus también \
        tan tanto te tener tengo ti tiene tienen todas todo todos tu tú tus un una unas uno unos usted ustedes va vez y ya yo
        """,
        "pt": """
        a à ao aos aquela aquelas aquele aqueles aquilo as às até com como contra da das de dela delas dele deles depois do dos e é ela \
        elas ele eles em entre era eram essa essas esse esses esta está estão estas estava este estes eu foi foram há isso isto já lhe lhes \
        mais mas me mesmo meu meus minha minhas muito na não nas nem no nos nós nossa nosso num numa o os ou para pela pelas pelo pelos \
        por porque pode podem qual quando que quem se seja sem ser será seu seus só sobre sua suas também te tem têm tendo ter teu toda \
        todas todo todos tu um uma umas uns você vocês vos
        """,
        "ca": """
        a això al als amb aquell aquella aquelles aquells aquest aquesta aquestes aquests així com d de del dels des després dins \
        durant el ell ella elles ells els em en entre era és esta està estan estar et fa fer fins ha han hem hi i ja jo l la les li lo \
        los més mateix me meu meva molt na ni no nos nosaltres o on per però perquè pot poden pel pels qual quan que què qui s sa se \
        seu seus seva seves si sí sense sobre són sota també te tenir tot tota totes tots tu un una unes uns us vosaltres ve vostre
        """,
        "eu": """
        al baina bai bat batean batek bati batzuk behar beste bere berak beraz da dago dira du dute edo ere eta ez ezin gabe gero \
        hau hauek hori horiek hura izan izango ko da dela den dena denak du duen dute egin egiten gisa hala han hemen hor hori horrela \
        horretarako ni nola non nor zer zein zen ziren zu zuek zuen zure gu gure haiek haien hainbat honek honen hori horren
        """,
        "id": """
        ada adalah agar akan aku anda antara apa apabila atas atau bagaimana bagi bahwa banyak baru beberapa belum benar berikut \
        bisa boleh bukan dalam dan dapat dari daripada demikian dengan di dia ia ini itu jadi jika juga kalau kami kamu karena ke kepada \
        ketika kita lagi lain lebih maka masih mereka misalnya mungkin namun oleh pada para perlu pula saat saja sama sampai sangat \
        saya sebagai sebelum secara sedang sehingga sejak selain semua seperti serta setelah sudah supaya tanpa tapi telah tentang \
        tersebut tetapi tidak untuk yaitu yang
        """,
        "vi": """
        anh bạn bị bởi các cái cần có của cũng cùng chỉ cho chúng chưa được đã đang đây để đến đó đều điều gì hay hơn khi không là \
        lại làm lên mà một mới này nên nếu người nhiều như nhưng những nơi phải qua ra rất rồi sau sẽ tại theo thì trên trong từ và vào \
        vẫn về vì với việc vừa bằng cả còn do đi hoặc hết mình nào nhau nữa ở sự thế thể tôi tới vậy xem ai
        """,
        "de": """
        aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bin bis bist da damit dann das dass dein \
        deine dem den denn der des dessen dich die dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen \
        einer eines er es etwa euch euer für gegen gibt hat hatte haben hier hin hinter ich ihm ihn ihnen ihr ihre im in indem ins ist \
        jede jedem jeden jeder jedes jetzt kann kein keine können man mehr mein meine mit muss nach nicht nichts noch nun nur ob oder \
        ohne sehr sein seine sich sie sind so soll sondern sowie über um und uns unser unter viel vom von vor während war waren was \
        weil welche welcher wenn wer werden wie wieder wir wird wo wurde zu zum zur zwischen
        """,
        "it": """
        a ad al alla alle allo anche ancora avere aveva c che chi ci come con contro cui da dal dalla dalle degli dei del della delle \
        dello di dove e è ed egli essere fra gli ha hanno i il in io la le lei li lo loro lui ma mi mio molto ne negli nei nel nella \
        nelle nello noi non nostro o ogni per perché più può quale quando quella quelle quello questa queste questo se sei si sia \
        sono su sua sue suo suoi sul sulla tra tu tutti tutto un una uno voi
        """,
        "ar": """
        في من على إلى عن أن إن أو ما لا هذا هذه ذلك التي الذي الذين كان كانت يكون هو هي هم نحن أنت مع بين كل قد لم لن ثم حتى \
        إذا عند بعد قبل غير أي أيضا لكن بل إلا منذ حيث كما عندما هناك هنا تلك ولا وفي ومن وعلى وهو وهي وأن فإن فيه فيها به بها \
        له لها منه منها عليه عليها إليه يمكن ليس تم جدا أكثر بعض أحد
        """,
        "fa": """
        و در به از که این را با است برای آن یک خود تا کرد بر هم نیز شده شود می کند ما او آنها یا اما اگر هر باید دارد بود \
        کنید کنند شد ای همه چه نه دیگر بین پس چون وی همین آن‌ها ها های
        """,
        "hi": """
        के का की है में और को से पर यह कि एक हैं भी नहीं तो ही या जो कर इस लिए होता होती होते था थी थे किया गया करने करें \
        करता करते वह वे उस उन इन अपने कोई कुछ जब तक साथ द्वारा अगर लेकिन फिर आप हम मैं बाद सकते सकता रहा रहे
        """,
        "zh": """
        的 了 是 在 和 有 我 他 她 它 们 这 那 不 也 就 都 要 会 可 以 与 及 或 而 但 之 其 为 于 被 把 将 从 对 中 上 下 个 很 \
        所 如 果 因 此 并 还 又 等 该 各 每 些 么 吗 呢 吧 啊 得 着 过 到 说 能 可以 我们 你们 他们 这个 那个 如果 因为 所以 \
        但是 可是 而且 或者 以及 一个 没有 什么 怎么 这些 那些 已经 自己 就是 还是 不是 通过 进行 使用 对于
        """,
        "ja": """
        の に は を が で と も た て し い る な か ら れ う こ そ あ ま す だ です ます した して する され いる ある この その \
        あの どの から まで より など また および または ため よう こと もの ない へ や ね よ
        """,
    ]

    /// Hashed lists (see `WordHash`), built once.
    static let hashed: [String: WordSet] = lists.mapValues { WordSet(WordHash.set(of: $0)) }
}

/// Flagged (pornographic/offensive) words per language for the ROOTS flagged-word ratio. Short lists
/// written for this project; languages without a list skip the filter, as in the reference. Words with
/// an innocent reading in documentation (`xxx` placeholders, `sexo` = gender, `nude`, `escort`) are left out.
enum FlaggedWords {
    static let lists: [String: String] = [
        "en": "porn porno pornography fuck fucking fucked pussy blowjob milf hentai orgasm boobs tits slut whore camgirl nsfw bdsm",
        "fr": "porno pornographie baise baiser salope pute putain chatte branlette fellation sodomie",
        "es": "porno pornografía follar puta putas coño tetas mamada orgasmo",
        "pt": "porno pornografia foder puta putas buceta peitos boquete orgasmo",
        "de": "porno pornografie ficken fick schlampe hure titten orgasmus",
        "it": "porno pornografia scopare troia puttana cazzo tette pompino orgasmo",
        "ca": "porno pornografia puta",
        "id": "porno bokep ngentot memek kontol bugil",
        "vi": "porn",
    ]

    static let hashed: [String: WordSet] = lists.mapValues { WordSet(WordHash.set(of: $0)) }
}

/// The 64-bit hash of a lowercased word, shared by stop-word/flagged lookups and word n-grams.
enum WordHash {
    static let seed: UInt64 = 0x9e37_79b9_7f4a_7c15

    @inline(__always) static func add(_ h: UInt64, _ scalar: UInt32) -> UInt64 { (h ^ UInt64(scalar)) &* 0x0000_0100_0000_01b3 }

    /// Hash of a sequence of scalar values (already lowercased).
    static func of<C: Sequence>(_ scalars: C) -> UInt64 where C.Element == UInt32 {
        var h = seed
        for s in scalars { h = add(h, s) }
        return fmix64(h)
    }

    /// Hashes of the whitespace-separated entries of a list, lowercased.
    static func set(of list: String) -> Set<UInt64> {
        Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { word in
            of(word.lowercased().unicodeScalars.map { ScalarTables.lower($0.value) })
        })
    }
}

/// A read-only set of word hashes with open addressing: `contains` is a couple of loads, cheaper
/// than `Set<UInt64>` (which rehashes every key with SipHash). Storage is immortal (the word lists are
/// process-wide constants) and reached through a raw pointer, so lookups from several threads do no
/// reference counting.
struct WordSet: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt64>
    private let mask: Int

    init(_ hashes: Set<UInt64>) {
        var size = 16
        while size < hashes.count * 4 { size <<= 1 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        for h in hashes.sorted() {
            let k = h == 0 ? 1 : h
            var i = Int(truncatingIfNeeded: k) & (size - 1)
            while slots[i] != 0 { i = (i + 1) & (size - 1) }
            slots[i] = k
        }
        mask = size - 1
    }

    @inline(__always) func contains(_ hash: UInt64) -> Bool {
        let k = hash == 0 ? 1 : hash
        var i = Int(truncatingIfNeeded: k) & mask
        while true {
            let v = slots[i]
            if v == k { return true }
            if v == 0 { return false }
            i = (i + 1) & mask
        }
    }
}
